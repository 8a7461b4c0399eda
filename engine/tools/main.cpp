// lambdesk-engine: the headless engine serving the Lambda REST API.
//   lambdesk-engine --listen 127.0.0.1:9001 --data-dir DIR --sandbox auto --idle-timeout 300
//                   --concurrency 64
// Prints "listening on http://HOST:PORT" on stdout once it accepts requests; SIGINT/SIGTERM stop
// it cleanly. Exits 1 when the data dir is locked or the address is taken, 2 on bad usage.

#include "lambdesk/engine/apiserver.h"
#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/functionurlserver.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <poll.h>
#include <unistd.h>

namespace {

using namespace lambdesk::engine;

struct CommandLine {
    std::string host = "127.0.0.1";
    int port = 9001;
    // Function URLs: --url-listen, else the API's host and the port after its own (any free
    // port when that one is taken).
    std::optional<std::string> urlHost;
    std::optional<int> urlPort;
    EngineOptions options;
    ApiAccess access;
    std::vector<std::string> bucketFolders; // --bucket
};

// The handler only writes to a pipe (async-signal-safe); main waits on the other end. Signals
// are not blocked with a mask because sandbox processes would inherit it across exec.
int g_signalPipe[2] = {-1, -1};
// SIGTERM ends the engine within 10 s (a service manager's usual grace period is longer).
constexpr auto kShutdownLimit = std::chrono::milliseconds(9000);
constexpr int kStopped = 0; // written to the pipe by the shutdown thread when it is done

void onSignal(int signalNumber)
{
    const unsigned char byte = static_cast<unsigned char>(signalNumber);
    const ssize_t written = ::write(g_signalPipe[1], &byte, 1);
    static_cast<void>(written);
}

void printUsage(std::ostream &out)
{
    out << "usage: lambdesk-engine [--listen HOST:PORT] [--url-listen HOST:PORT] [--data-dir DIR]\n"
           "                       [--sandbox auto|process|gvisor|microvm]\n"
           "                       [--idle-timeout SECONDS] [--concurrency N]\n"
           "                       [--auth any-key|verify] [--allow-origin ORIGIN]...\n"
           "                       [--routing-seed N] [--async-delay-scale FACTOR]\n"
           "                       [--bucket FOLDER]...\n"
           "  --listen        address to serve the Lambda API on (default 127.0.0.1:9001;\n"
           "                  port 0 picks a free one)\n"
           "  --url-listen    address to serve function URLs on (default: the API's host and\n"
           "                  the next port, or a free one when that is taken)\n"
           "  --data-dir      functions, code history and invocation records (default "
        << defaultDataDir().string()
        << ")\n"
           "  --sandbox       default sandbox backend (default auto)\n"
           "  --idle-timeout  seconds before an idle execution environment stops (default 300)\n"
           "  --concurrency   account concurrency limit (default 64)\n"
           "  --auth          any-key: every request needs a well-formed SigV4 Authorization\n"
           "                  header, any access key (default); verify: the signature is checked\n"
           "                  against the key pair in DATA_DIR/api-credentials\n"
           "  --allow-origin  a browser Origin whose requests are not refused (repeatable;\n"
           "                  none by default; CORS preflights are refused regardless)\n"
           "  --bucket        registers FOLDER (made when missing) as the S3 bucket named after\n"
           "                  it, whose files functions reach through AWS_ENDPOINT_URL_S3\n"
           "                  (repeatable; registered buckets stay in the data dir)\n"
           "  --routing-seed  seeds the draw that splits an alias's invocations between its two\n"
           "                  versions, for repeatable tests (default: random)\n"
           "  --async-delay-scale  multiplies the waits before an asynchronous event's retries\n"
           "                  (1 and 2 minutes) and a throttled event's back-off, for tests\n"
           "                  (default 1)\n";
}

bool parseListen(const std::string &text, std::string &hostOut, int &portOut)
{
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    std::string host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const std::string port = text.substr(colon + 1);
    char *end = nullptr;
    const long value = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end != '\0' || value < 0 || value > 65535)
        return false;
    hostOut = host;
    portOut = static_cast<int>(value);
    return true;
}

bool parsePositive(const std::string &text, double &value)
{
    char *end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return !text.empty() && *end == '\0' && value > 0;
}

// Returns nullopt after printing what is wrong.
std::optional<CommandLine> parseCommandLine(int argc, char **argv)
{
    CommandLine command;
    command.options.dataDir = defaultDataDir();
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::string value;
        if (arg == "-h" || arg == "--help") {
            printUsage(std::cout);
            std::exit(0);
        }
        if (const auto equals = arg.find('='); arg.rfind("--", 0) == 0 && equals != std::string::npos) {
            value = arg.substr(equals + 1);
            arg = arg.substr(0, equals);
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            std::cerr << "lambdesk-engine: " << arg << " needs a value\n";
            return std::nullopt;
        }
        double number = 0;
        if (arg == "--listen" || arg == "--url-listen") {
            std::string host;
            int port = 0;
            if (!parseListen(value, host, port)) {
                std::cerr << "lambdesk-engine: " << arg << " expects HOST:PORT, got '" << value
                          << "'\n";
                return std::nullopt;
            }
            if (arg == "--listen") {
                command.host = host;
                command.port = port;
            } else {
                command.urlHost = host;
                command.urlPort = port;
            }
        } else if (arg == "--data-dir") {
            command.options.dataDir = value;
        } else if (arg == "--sandbox") {
            if (value != "auto" && value != "process" && value != "gvisor" && value != "microvm") {
                std::cerr << "lambdesk-engine: --sandbox expects auto, process, gvisor or microvm, "
                             "got '" << value << "'\n";
                return std::nullopt;
            }
            command.options.defaultSandbox = value;
        } else if (arg == "--idle-timeout") {
            if (!parsePositive(value, number)) {
                std::cerr << "lambdesk-engine: --idle-timeout expects seconds > 0, got '" << value
                          << "'\n";
                return std::nullopt;
            }
            command.options.idleTimeout =
                std::chrono::milliseconds(static_cast<long long>(number * 1000));
        } else if (arg == "--routing-seed") {
            std::uint64_t seed = 0;
            const auto [end, error] =
                std::from_chars(value.data(), value.data() + value.size(), seed);
            if (error != std::errc() || end != value.data() + value.size()) {
                std::cerr << "lambdesk-engine: --routing-seed expects a whole number, got '"
                          << value << "'\n";
                return std::nullopt;
            }
            command.options.routingSeed = seed;
        } else if (arg == "--async-delay-scale") {
            if (!parsePositive(value, number)) {
                std::cerr << "lambdesk-engine: --async-delay-scale expects a number > 0, got '"
                          << value << "'\n";
                return std::nullopt;
            }
            command.options.asyncDelayScale = number;
        } else if (arg == "--concurrency") {
            if (!parsePositive(value, number) || number != static_cast<int>(number)) {
                std::cerr << "lambdesk-engine: --concurrency expects a whole number > 0, got '"
                          << value << "'\n";
                return std::nullopt;
            }
            command.options.accountConcurrency = static_cast<int>(number);
        } else if (arg == "--auth") {
            if (value != "any-key" && value != "verify") {
                std::cerr << "lambdesk-engine: --auth expects any-key or verify, got '" << value << "'\n";
                return std::nullopt;
            }
            command.access.auth = value == "verify" ? ApiAuthMode::Verify : ApiAuthMode::AnyKey;
        } else if (arg == "--allow-origin") {
            command.access.allowedOrigins.push_back(value);
        } else if (arg == "--bucket") {
            command.bucketFolders.push_back(std::filesystem::absolute(value).string());
        } else {
            std::cerr << "lambdesk-engine: unknown option '" << arg << "'\n";
            return std::nullopt;
        }
    }
    return command;
}

bool installSignalHandlers()
{
    if (::pipe(g_signalPipe) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return sigaction(SIGINT, &action, nullptr) == 0 && sigaction(SIGTERM, &action, nullptr) == 0;
}

// The next signal (or kStopped); -1 when `limit` passes first.
int waitForSignal(std::optional<std::chrono::milliseconds> limit = std::nullopt)
{
    unsigned char byte = 0;
    const auto deadline =
        std::chrono::steady_clock::now() + limit.value_or(std::chrono::milliseconds(0));
    while (true) {
        if (limit) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd ready{g_signalPipe[0], POLLIN, 0};
            const int polled =
                ::poll(&ready, 1, static_cast<int>(std::max<std::int64_t>(0, left.count())));
            if (polled == 0)
                return -1;
            if (polled < 0 && errno == EINTR)
                continue;
        }
        const ssize_t got = ::read(g_signalPipe[0], &byte, 1);
        if (got == 1)
            return byte;
        if (got < 0 && errno == EINTR)
            continue;
        return 0;
    }
}

} // namespace

int main(int argc, char **argv)
{
    auto command = parseCommandLine(argc, argv);
    if (!command) {
        printUsage(std::cerr);
        return 2;
    }
    // A client that disconnects mid-response must not kill the engine.
    std::signal(SIGPIPE, SIG_IGN);
    if (!installSignalHandlers()) {
        std::perror("lambdesk-engine: cannot install signal handlers");
        return 1;
    }

    const std::filesystem::path dataDir = command->options.dataDir;
    auto engine = Engine::open(command->options);
    if (!engine) {
        const Error &error = engine.error();
        if (error.code == ErrorCode::EngineLocked) {
            std::cerr << "lambdesk-engine: data dir " << dataDir.string() << " is in use by "
                      << dataDirLockHolder(dataDir) << " (" << error.message << ")\n";
        } else {
            std::cerr << "lambdesk-engine: cannot open data dir " << dataDir.string() << ": "
                      << error.message << "\n";
        }
        return 1;
    }

    for (const std::string &folder : command->bucketFolders) {
        auto bucket = (*engine)->addFolderBucket(folder);
        if (!bucket) {
            std::cerr << "lambdesk-engine: --bucket " << folder << ": " << bucket.error().message
                      << "\n";
            return 1;
        }
    }

    if (command->access.auth == ApiAuthMode::Verify) {
        auto credentials = loadOrCreateApiCredentials(dataDir);
        if (!credentials) {
            std::cerr << "lambdesk-engine: " << credentials.error().message << "\n";
            return 1;
        }
        command->access.credentials = *credentials;
    }
    ApiServer server(**engine, command->access);
    auto port = server.start(command->host, command->port);
    if (!port) {
        std::cerr << "lambdesk-engine: " << port.error().message << "\n";
        return 1;
    }
    FunctionUrlServer urls(**engine, command->access);
    const std::string urlHost = command->urlHost.value_or(command->host);
    auto urlPort = urls.start(urlHost, command->urlPort.value_or(*port < 65535 ? *port + 1 : 0));
    if (!urlPort && !command->urlPort) // the next port is only a preference: any free one will do
        urlPort = urls.start(urlHost, 0);
    if (!urlPort) {
        std::cerr << "lambdesk-engine: function URLs: " << urlPort.error().message
                  << " (--url-listen HOST:PORT picks another address)\n";
        return 1;
    }
    // The first line is what scripts wait for; std::endl flushes for pipes.
    std::cout << "listening on " << server.baseUrl() << std::endl;
    std::cout << "function URLs on " << urls.baseUrl() << std::endl;
    std::cout << "auth: " << describeAuthMode(command->access.auth);
    if (command->access.auth == ApiAuthMode::Verify) {
        std::cout << "; sign with the profile \"lambdesk\" after running:\n";
        for (const auto &line : awsConfigureLines(command->access.credentials))
            std::cout << "  " << line << "\n";
    } else {
        std::cout << " (any access key; --auth verify checks signatures)\n";
    }
    std::cout << std::flush;

    const int signalNumber = waitForSignal();
    std::cerr << "lambdesk-engine: " << (signalNumber == SIGINT ? "SIGINT" : "SIGTERM")
              << " received, shutting down (again to force)\n";
    // Environments go first, so that invocations in flight are answered (as failed) and recorded
    // before the server stops. A second signal, or a stop that takes too long, exits at once:
    // everything deployed and recorded is already durable (the store survives SIGKILL), and
    // every sandbox dies with the engine's process.
    std::thread stopper([&] {
        (*engine)->shutdown();
        urls.stop();
        server.stop();
        engine->reset();
        onSignal(kStopped);
    });
    if (const int next = waitForSignal(kShutdownLimit); next != kStopped) {
        std::cerr << "lambdesk-engine: "
                  << (next < 0 ? "not stopped in time, exiting" : "forced exit") << "\n";
        std::_Exit(1);
    }
    stopper.join();
    return 0;
}
