require 'json'
require 'logger'

puts 'Loading function'
LOGGER = Logger.new($stdout)

def lambda_handler(event:, context:)
  puts "Received event: #{JSON.pretty_generate(event)}"
  %w[key1 key2 key3].each_with_index do |key, index|
    puts "value#{index + 1} = #{event[key].inspect}"
  end
  LOGGER.info("#{context.function_name} has #{context.get_remaining_time_in_millis} ms left")
  event['key1'] # Echo back the first key value
end
