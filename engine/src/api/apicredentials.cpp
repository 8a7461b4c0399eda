// The data dir's API key pair for --auth verify: made once with OpenSSL's generator, kept
// owner-only, so only the user who runs the engine can sign for it.

#include "lambdesk/engine/apiserver.h"

#include <nlohmann/json.hpp>
#include <openssl/rand.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace lambdesk::engine {
namespace {

constexpr const char *kFileName = "api-credentials";

// `length` characters of `alphabet`, uniformly (rejection sampling over random bytes).
Result<std::string> randomText(std::size_t length, std::string_view alphabet)
{
    std::string out;
    const unsigned limit = 256 - 256 % alphabet.size();
    while (out.size() < length) {
        std::array<unsigned char, 64> bytes{};
        if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
            return makeError(ErrorCode::ServiceError, "the system random generator failed");
        for (const unsigned char byte : bytes)
            if (byte < limit && out.size() < length)
                out += alphabet[byte % alphabet.size()];
    }
    return out;
}

Result<ApiCredentials> generate()
{
    // Shaped like AWS keys: a 20-character id of upper case and digits, a 40-character secret.
    auto id = randomText(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    auto secret =
        randomText(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    if (!id)
        return id.error();
    if (!secret)
        return secret.error();
    return ApiCredentials{"LDSK" + *id, *secret};
}

} // namespace

Result<ApiCredentials> loadOrCreateApiCredentials(const std::filesystem::path &dataDir)
{
    const auto path = dataDir / kFileName;
    std::ifstream in(path);
    if (in) {
        std::stringstream text;
        text << in.rdbuf();
        const auto doc = nlohmann::json::parse(text.str(), nullptr, false);
        if (doc.is_object() && doc.value("AccessKeyId", "").size() >= 16 &&
            doc.value("SecretAccessKey", "").size() >= 32)
            return ApiCredentials{doc["AccessKeyId"], doc["SecretAccessKey"]};
        return makeError(ErrorCode::ServiceError, path.string() +
                                                      " is not a key pair this engine wrote; "
                                                      "remove it to make a new one");
    }
    auto credentials = generate();
    if (!credentials)
        return credentials;
    const std::string body = nlohmann::json{{"AccessKeyId", credentials->accessKeyId},
                                            {"SecretAccessKey", credentials->secretAccessKey}}
                                 .dump(2) +
                             "\n";
    // Created 0600 and renamed into place, so no reader ever sees a partial or wider file.
    const auto temporary = dataDir / (std::string(kFileName) + ".new");
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorCode::ServiceError,
                         "cannot write " + temporary.string() + ": " + std::strerror(errno));
    const bool written =
        ::fchmod(fd, 0600) == 0 &&
        ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!written || ::rename(temporary.c_str(), path.c_str()) != 0)
        return makeError(ErrorCode::ServiceError,
                         "cannot write " + path.string() + ": " + std::strerror(errno));
    return credentials;
}

std::vector<std::string> awsConfigureLines(const ApiCredentials &credentials)
{
    return {"aws configure set aws_access_key_id " + credentials.accessKeyId +
                " --profile lambdesk",
            "aws configure set aws_secret_access_key " + credentials.secretAccessKey +
                " --profile lambdesk"};
}

std::string describeAuthMode(ApiAuthMode mode)
{
    return mode == ApiAuthMode::Verify ? "SigV4 verified" : "SigV4 header required";
}

} // namespace lambdesk::engine
