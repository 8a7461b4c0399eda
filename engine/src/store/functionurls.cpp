// Function URLs: one per function ($LATEST) and one per alias, rows in SQLite. A URL's id is
// random and never changes while the URL exists; a URL goes with its function (the database
// cascades) or its alias.
#include "common/random.h"
#include "store/functionstoreimpl.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace lambdesk::engine {

namespace {

using nlohmann::json;

constexpr const char *kColumns =
    "function_name, qualifier, url_id, auth_type, cors, invoke_mode, created_us, modified_us";

// 32 of [a-z0-9], as AWS's url-ids look.
std::string newUrlId()
{
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    const std::string bytes = common::randomBytes(kFunctionUrlIdLength);
    std::string id;
    id.reserve(kFunctionUrlIdLength);
    for (const char byte : bytes) // 256 = 7 * 36 + 4: a bias too small to matter for an id
        id += kAlphabet[static_cast<unsigned char>(byte) % (sizeof kAlphabet - 1)];
    return id;
}

std::int64_t nowMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// "2026-12-06T20:04:11.123456Z", as CreationTime reads in AWS's answers.
std::string isoTime(std::int64_t micros)
{
    const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(micros % 1000000));
    return text;
}

// The Cors column: the storage form, not the wire's (the API layer owns that).
json corsJson(const FunctionUrlCors &cors)
{
    json out{{"allow_credentials", cors.allowCredentials},
             {"allow_headers", cors.allowHeaders},
             {"allow_methods", cors.allowMethods},
             {"allow_origins", cors.allowOrigins},
             {"expose_headers", cors.exposeHeaders}};
    if (cors.maxAge)
        out["max_age"] = *cors.maxAge;
    return out;
}

FunctionUrlCors corsFromJson(const json &in)
{
    FunctionUrlCors cors;
    cors.allowCredentials = in.value("allow_credentials", false);
    cors.allowHeaders = in.value("allow_headers", std::vector<std::string>{});
    cors.allowMethods = in.value("allow_methods", std::vector<std::string>{});
    cors.allowOrigins = in.value("allow_origins", std::vector<std::string>{});
    cors.exposeHeaders = in.value("expose_headers", std::vector<std::string>{});
    if (in.contains("max_age"))
        cors.maxAge = in["max_age"].get<int>();
    return cors;
}

// One row read with kColumns.
FunctionUrlInfo rowInfo(const detail::Statement &row, const std::string &functionArn)
{
    FunctionUrlInfo info;
    info.functionName = row.text(0);
    info.qualifier = row.text(1);
    info.urlId = row.text(2);
    info.settings.authType = row.text(3);
    if (!row.isNull(4))
        info.settings.cors = corsFromJson(json::parse(row.text(4)));
    info.settings.invokeMode = row.text(5);
    info.creationTime = isoTime(row.int64(6));
    info.lastModifiedTime = isoTime(row.int64(7));
    info.functionArn = functionArn;
    return info;
}

} // namespace

Result<std::string> FunctionStore::Impl::urlQualifier(const std::string &name,
                                                      const std::string &qualifier)
{
    if (!qualifier.empty())
        if (auto valid = validateFunctionUrlQualifier(qualifier); !valid)
            return valid.error();
    if (!loadFunction(name))
        return notFound(name);
    if (!qualifier.empty() && !loadAlias(name, qualifier))
        return notFound(name, qualifier);
    return qualifier;
}

std::optional<FunctionUrlInfo> FunctionStore::Impl::loadUrl(const std::string &name,
                                                            const std::string &qualifier)
{
    auto query = db.prepare(std::string("SELECT ") + kColumns +
                            " FROM function_urls WHERE function_name = ? AND qualifier = ?");
    query.bind(1, name).bind(2, qualifier);
    if (!query.step())
        return std::nullopt;
    return rowInfo(query, arn(name, qualifier));
}

namespace {

Error urlNotFound()
{
    return makeError(ErrorCode::NotFound, "The resource you requested does not exist.");
}

} // namespace

Result<FunctionUrlInfo> FunctionStore::Impl::existingUrl(const std::string &name,
                                                         const std::string &qualifier)
{
    const auto key = urlQualifier(name, qualifier);
    if (!key)
        return key.error();
    auto url = loadUrl(name, *key);
    if (!url)
        return urlNotFound();
    return *url;
}

Result<FunctionUrlInfo> FunctionStore::createFunctionUrl(const std::string &name,
                                                         const std::string &qualifier,
                                                         const FunctionUrlSettings &settings)
{
    return detail::guarded("create function URL", [&]() -> Result<FunctionUrlInfo> {
        if (auto valid = validateFunctionUrlSettings(settings); !valid)
            return valid.error();
        std::lock_guard lock(m_impl->mutex);
        const auto key = m_impl->urlQualifier(name, qualifier);
        if (!key)
            return key.error();
        if (m_impl->loadUrl(name, *key))
            return makeError(ErrorCode::Conflict,
                             "Failed to create function url config for [functionArn = " +
                                 m_impl->arn(name, *key) +
                                 "]. Error message:  FunctionUrlConfig exists for this Lambda "
                                 "function");
        const std::int64_t now = nowMicros();
        // An unbound parameter is NULL: no Cors stays NULL.
        auto insert = m_impl->db.prepare(std::string("INSERT INTO function_urls (") + kColumns +
                                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, name).bind(2, *key).bind(3, newUrlId()).bind(4, settings.authType);
        if (settings.cors)
            insert.bind(5, corsJson(*settings.cors).dump());
        insert.bind(6, settings.invokeMode).bind(7, now).bind(8, now);
        insert.run();
        return *m_impl->loadUrl(name, *key);
    });
}

Result<FunctionUrlInfo> FunctionStore::getFunctionUrl(const std::string &name,
                                                      const std::string &qualifier)
{
    return detail::guarded("get function URL", [&]() -> Result<FunctionUrlInfo> {
        std::lock_guard lock(m_impl->mutex);
        return m_impl->existingUrl(name, qualifier);
    });
}

Result<FunctionUrlInfo> FunctionStore::updateFunctionUrl(const std::string &name,
                                                         const std::string &qualifier,
                                                         const FunctionUrlPatch &patch)
{
    return detail::guarded("update function URL", [&]() -> Result<FunctionUrlInfo> {
        std::lock_guard lock(m_impl->mutex);
        const auto url = m_impl->existingUrl(name, qualifier);
        if (!url)
            return url.error();
        FunctionUrlSettings settings = url->settings;
        if (patch.authType)
            settings.authType = *patch.authType;
        if (patch.cors)
            settings.cors = patch.cors;
        if (patch.invokeMode)
            settings.invokeMode = *patch.invokeMode;
        if (auto valid = validateFunctionUrlSettings(settings); !valid)
            return valid.error();
        auto update = m_impl->db.prepare( // cors unbound: NULL
            "UPDATE function_urls SET auth_type = ?, cors = ?, invoke_mode = ?, modified_us = ? "
            "WHERE function_name = ? AND qualifier = ?");
        update.bind(1, settings.authType);
        if (settings.cors)
            update.bind(2, corsJson(*settings.cors).dump());
        update.bind(3, settings.invokeMode)
            .bind(4, nowMicros())
            .bind(5, name)
            .bind(6, url->qualifier);
        update.run();
        return *m_impl->loadUrl(name, url->qualifier);
    });
}

Result<void> FunctionStore::deleteFunctionUrl(const std::string &name, const std::string &qualifier)
{
    return detail::guarded("delete function URL", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        const auto url = m_impl->existingUrl(name, qualifier);
        if (!url)
            return url.error();
        m_impl->deleteFunctionUrl(name, url->qualifier);
        return {};
    });
}

Result<std::vector<FunctionUrlInfo>> FunctionStore::listFunctionUrls(const std::string &name)
{
    return detail::guarded("list function URLs", [&]() -> Result<std::vector<FunctionUrlInfo>> {
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->loadFunction(name))
            return m_impl->notFound(name);
        auto query = m_impl->db.prepare(std::string("SELECT ") + kColumns +
                                        " FROM function_urls WHERE function_name = ? ORDER BY "
                                        "qualifier");
        query.bind(1, name);
        std::vector<FunctionUrlInfo> urls;
        while (query.step())
            urls.push_back(rowInfo(query, m_impl->arn(name, query.text(1))));
        return urls;
    });
}

std::optional<FunctionUrlInfo> FunctionStore::findFunctionUrl(const std::string &urlId)
{
    auto found = detail::guarded("find function URL", [&]() -> Result<FunctionUrlInfo> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare(std::string("SELECT ") + kColumns +
                                        " FROM function_urls WHERE url_id = ?");
        query.bind(1, urlId);
        if (!query.step())
            return urlNotFound();
        return rowInfo(query, m_impl->arn(query.text(0), query.text(1)));
    });
    if (!found)
        return std::nullopt;
    return *found;
}

void FunctionStore::Impl::deleteFunctionUrl(const std::string &name, const std::string &qualifier)
{
    db.prepare("DELETE FROM function_urls WHERE function_name = ? AND qualifier = ?")
        .bind(1, name)
        .bind(2, qualifier)
        .run();
}

} // namespace lambdesk::engine
