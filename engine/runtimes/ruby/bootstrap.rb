# Lambdesk's Ruby runtime: the Lambda Runtime API (2018-06-01) loop for ruby3.x functions, written
# from the documented behaviour of AWS's Ruby runtime interface client. The handler is
# "file.method" (or "file.Module::Class.method"), called with event: and context:; its value is
# answered as JSON; an exception is answered as {errorMessage, errorType "Function<Class>",
# stackTrace}, and a failure to load the handler as "Init<Class>" before the first event.
require 'json'
require 'net/http'
require 'stringio'

$stdout.sync = true
$stderr.sync = true
# Lambda's Ruby reads and writes UTF-8 whatever locale the sandbox has (the microVM has none).
Encoding.default_external = Encoding::UTF_8

module Lambdesk
  # What AWS's LambdaContext offers the handler.
  class LambdaContext
    attr_reader :aws_request_id, :invoked_function_arn, :log_group_name, :log_stream_name,
                :function_name, :memory_limit_in_mb, :function_version, :identity,
                :client_context, :deadline_ms

    def initialize(headers)
      @aws_request_id = headers['lambda-runtime-aws-request-id']
      @invoked_function_arn = headers['lambda-runtime-invoked-function-arn']
      @deadline_ms = headers['lambda-runtime-deadline-ms'].to_i
      @log_group_name = ENV['AWS_LAMBDA_LOG_GROUP_NAME']
      @log_stream_name = ENV['AWS_LAMBDA_LOG_STREAM_NAME']
      @function_name = ENV['AWS_LAMBDA_FUNCTION_NAME']
      @memory_limit_in_mb = ENV['AWS_LAMBDA_FUNCTION_MEMORY_SIZE']
      @function_version = ENV['AWS_LAMBDA_FUNCTION_VERSION']
      @identity = parsed(headers['lambda-runtime-cognito-identity'])
      @client_context = parsed(headers['lambda-runtime-client-context'])
    end

    def get_remaining_time_in_millis
      [@deadline_ms - (Time.now.to_f * 1000).to_i, 0].max
    end

    private

    def parsed(text)
      return nil if text.nil? || text.empty? || text == '{}'
      JSON.parse(text)
    rescue JSON::ParserError
      nil
    end
  end

  # One kept-alive connection to the Runtime API.
  class RuntimeApi
    def initialize(address)
      host, port = address.split(':')
      @http = Net::HTTP.new(host, port.to_i)
      @http.read_timeout = 10 * 365 * 24 * 3600 # the long poll waits as long as it takes
      @http.keep_alive_timeout = 3600
      @http.start
    end

    def next_event
      response = @http.request(Net::HTTP::Get.new('/2018-06-01/runtime/invocation/next'))
      unless response.code == '200'
        $stderr.puts("Runtime API answered #{response.code} to invocation/next: #{response.body.to_s[0, 200]}")
        exit(1)
      end
      headers = response.to_hash.transform_values(&:first)
      [headers, response.body]
    end

    def respond(request_id, body)
      post("invocation/#{request_id}/response", body, {})
    end

    def fail(path, document)
      post(path, JSON.generate(document), 'Lambda-Runtime-Function-Error-Type' => document['errorType'])
    end

    private

    def post(path, body, headers)
      request = Net::HTTP::Post.new("/2018-06-01/runtime/#{path}",
                                    headers.merge('Content-Type' => 'application/json'))
      request.body = body
      @http.request(request)
    end
  end

  # The frames of the function's code (at most 100, as AWS keeps); the runtime's own say nothing
  # to its author.
  def self.error_document(error, kind)
    trace = (error.backtrace || []).reject { |frame| frame.start_with?(__FILE__) }.first(100)
    { 'errorMessage' => error.message.to_s.scrub, 'errorType' => "#{kind}<#{error.class}>",
      'stackTrace' => trace.map(&:scrub) }
  end

  # "lambda_function.lambda_handler" (a method of the file's top level) or
  # "lambda_function.Orders::Handler.process" (a class or module method), as AWS splits it. The
  # file is required now; the method is looked up at each invoke, as AWS does, so a missing one
  # is the invocation's error.
  def self.load_handler(handler)
    parts = handler.to_s.split('.')
    unless [2, 3].include?(parts.size) && parts.none?(&:empty?)
      raise ArgumentError, "Invalid handler #{handler}, must be of form FILENAME.METHOD or " \
                           'FILENAME.CLASS.METHOD'
    end
    file, *owner, method = parts
    $LOAD_PATH.unshift(ENV.fetch('LAMBDA_TASK_ROOT', '/var/task'))
    require file
    lambda do |event, context|
      receiver = owner.empty? ? TOPLEVEL_BINDING.receiver : Object.const_get(owner.first)
      receiver.send(method, event: event, context: context)
    end
  end

  # As AWS's marshaller: an IO's bytes as they are, anything else as its to_json.
  def self.marshall_response(result)
    return result.read if result.is_a?(IO) || result.is_a?(StringIO)
    result.to_json
  end

  def self.init_failed(api, error)
    document = error_document(error, 'Init')
    $stdout.puts("Init error when loading handler #{ENV['_HANDLER']}\n#{JSON.pretty_generate(document)}")
    api.fail('init/error', document)
    exit(1)
  end

  # After an error Ruby cannot recover from (not a StandardError), or a handler that is not there,
  # AWS's runtime ends: the next event starts a fresh environment.
  def self.critical?(error)
    !error.is_a?(StandardError) || error.is_a?(NameError)
  end

  def self.run
    api = RuntimeApi.new(ENV.fetch('AWS_LAMBDA_RUNTIME_API'))
    begin
      handler = load_handler(ENV['_HANDLER'])
    rescue SignalException
      raise
    rescue Exception => e # rubocop:disable Lint/RescueException -- every failure is the init's
      init_failed(api, e)
    end
    loop do
      headers, body = api.next_event
      request_id = headers['lambda-runtime-aws-request-id']
      ENV['_X_AMZN_TRACE_ID'] = headers['lambda-runtime-trace-id'] if headers['lambda-runtime-trace-id']
      begin
        event = body.nil? || body.empty? ? nil : JSON.parse(body)
        response = marshall_response(handler.call(event, LambdaContext.new(headers)))
      rescue SignalException
        raise
      rescue Exception => e # rubocop:disable Lint/RescueException -- reported, as AWS does
        document = error_document(e, 'Function')
        header = critical?(e) ? 'Critical exception from handler' : 'Error raised from handler method'
        $stdout.puts("#{header}\n#{JSON.pretty_generate(document)}")
        api.fail("invocation/#{request_id}/error", document)
        exit(1) if critical?(e)
        next
      end
      api.respond(request_id, response)
    end
  end
end

Lambdesk.run
