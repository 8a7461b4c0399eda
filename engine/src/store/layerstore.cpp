#include "store/layerstore.h"

#include "common/clock.h"
#include "common/encoding.h"
#include "common/random.h"
#include "lambdesk/engine/validation.h"
#include "store/database.h"
#include "store/storeguard.h"
#include "store/storeutil.h"
#include "store/ziparchive.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>

namespace fs = std::filesystem;

namespace lambdesk::engine {

namespace {

struct LayerVersion {
    LayerVersionInfo info;
    bool deleted = false;
};

bool contains(const std::vector<std::string> &items, const std::string &item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

bool matches(const LayerVersionInfo &info, const LayerFilter &filter)
{
    return (filter.compatibleRuntime.empty() ||
            contains(info.compatibleRuntimes, filter.compatibleRuntime)) &&
           (filter.compatibleArchitecture.empty() ||
            contains(info.compatibleArchitectures, filter.compatibleArchitecture));
}

Error resourceNotFound()
{
    return makeError(ErrorCode::NotFound, "The resource you requested does not exist.");
}

} // namespace

struct LayerStore::Impl {
    Impl(StoreOptions storeOptions, detail::Database database)
        : options(std::move(storeOptions)), layersDir(options.dataDir / "layers"),
          stagingRoot(options.dataDir / "staging"), db(std::move(database))
    {
    }

    StoreOptions options;
    fs::path layersDir;
    fs::path stagingRoot;
    std::mutex mutex; // guards db, the maps and every file under layersDir
    detail::Database db;
    std::map<std::string, std::map<std::int64_t, LayerVersion>> layers;
    std::map<std::string, std::int64_t> lastVersion; // numbers are never reused

    fs::path versionDir(const std::string &name, std::int64_t version) const
    {
        return layersDir / name / std::to_string(version);
    }

    std::string layerArn(const std::string &name) const
    {
        return "arn:aws:lambda:" + options.region + ":" + options.accountId + ":layer:" + name;
    }

    // A LayerName of this account and region, as a bare name; nullopt for another's.
    Result<std::string> ownName(const std::string &nameOrArn) const
    {
        auto ref = parseLayerName(nameOrArn);
        if (!ref)
            return ref.error();
        if (!ref->region.empty() &&
            (ref->region != options.region || ref->accountId != options.accountId))
            return resourceNotFound();
        return ref->name;
    }

    // Caller holds mutex.
    const LayerVersion *find(const std::string &name, std::int64_t version) const
    {
        const auto layer = layers.find(name);
        if (layer == layers.end())
            return nullptr;
        const auto found = layer->second.find(version);
        return found == layer->second.end() ? nullptr : &found->second;
    }

    // Caller holds mutex. A version ARN of this account that the store holds, deleted or not.
    const LayerVersion *findArn(const std::string &arn) const
    {
        const auto ref = parseLayerVersionArn(arn);
        if (!ref || ref->region != options.region || ref->accountId != options.accountId)
            return nullptr;
        return find(ref->name, ref->version);
    }

    void load();
    void removeUnusedFiles();
    bool referencedByAFunction(const std::string &arn);
};

void LayerStore::Impl::load()
{
    auto last = db.prepare("SELECT name, last_version FROM layers");
    while (last.step())
        lastVersion[last.text(0)] = last.int64(1);
    auto query = db.prepare(
        "SELECT layer_name, version, description, license_info, compatible_runtimes, "
        "compatible_architectures, code_sha256, code_size, unzipped_size, created_ms, deleted "
        "FROM layer_versions");
    while (query.step()) {
        LayerVersion entry;
        LayerVersionInfo &info = entry.info;
        info.layerName = query.text(0);
        info.version = query.int64(1);
        info.description = query.text(2);
        info.licenseInfo = query.text(3);
        info.compatibleRuntimes =
            nlohmann::json::parse(query.text(4)).get<std::vector<std::string>>();
        info.compatibleArchitectures =
            nlohmann::json::parse(query.text(5)).get<std::vector<std::string>>();
        info.codeSha256 = query.text(6);
        info.codeSize = query.int64(7);
        info.unzippedSize = query.int64(8);
        info.createdMs = query.int64(9);
        info.createdDate = detail::formatLastModified(info.createdMs);
        info.layerArn = layerArn(info.layerName);
        info.layerVersionArn = info.layerArn + ":" + std::to_string(info.version);
        entry.deleted = query.int64(10) != 0;
        layers[info.layerName][info.version] = std::move(entry);
    }
}

bool LayerStore::Impl::referencedByAFunction(const std::string &arn)
{
    auto query =
        db.prepare("SELECT 1 FROM functions, json_each(functions.config, '$.layers') AS layer "
                   "WHERE layer.value = ?1 UNION ALL "
                   "SELECT 1 FROM versions, json_each(versions.config, '$.layers') AS layer "
                   "WHERE layer.value = ?1 LIMIT 1");
    query.bind(1, arn);
    return query.step();
}

// Files of versions SQLite does not know (a publish that crashed before its commit) and of
// deleted versions no function references any more.
void LayerStore::Impl::removeUnusedFiles()
{
    if (!fs::exists(layersDir))
        return;
    for (const fs::directory_entry &layer : fs::directory_iterator(layersDir)) {
        if (!layer.is_directory() || layer.is_symlink())
            continue; // not ours (a file manager's index file, say): leave it
        const std::string name = layer.path().filename().string();
        for (const fs::directory_entry &version : fs::directory_iterator(layer.path())) {
            std::int64_t number = 0;
            const std::string text = version.path().filename().string();
            const auto [end, error] =
                std::from_chars(text.data(), text.data() + text.size(), number);
            const bool numeric = error == std::errc() && end == text.data() + text.size();
            const LayerVersion *known = numeric ? find(name, number) : nullptr;
            if (!known || (known->deleted && !referencedByAFunction(known->info.layerVersionArn)))
                detail::removeTreeQuietly(version.path());
        }
    }
}

LayerStore::LayerStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{
}

LayerStore::~LayerStore() = default;

Result<std::unique_ptr<LayerStore>> LayerStore::open(const StoreOptions &options)
{
    return detail::guarded("open layers", [&]() -> Result<std::unique_ptr<LayerStore>> {
        auto impl =
            std::make_unique<Impl>(options, detail::Database::open(detail::databasePath(options)));
        fs::create_directories(impl->layersDir);
        std::lock_guard lock(impl->mutex);
        impl->load();
        impl->removeUnusedFiles();
        return std::unique_ptr<LayerStore>(new LayerStore(std::move(impl)));
    });
}

Result<LayerVersionInfo> LayerStore::publish(const LayerVersionInput &input,
                                             std::string_view zipBytes)
{
    return detail::guarded("publish layer version", [&]() -> Result<LayerVersionInfo> {
        if (auto valid = validateLayerVersionInput(input); !valid)
            return valid.error();
        auto name = m_impl->ownName(input.layerName);
        if (!name)
            return makeError(ErrorCode::InvalidParameter,
                             "Layer " + input.layerName +
                                 " belongs to another account or region; "
                                 "this engine publishes layers of account " +
                                 m_impl->options.accountId + " in " + m_impl->options.region);
        if (zipBytes.empty())
            return makeError(ErrorCode::InvalidParameter, "Uploaded file must be a non-empty zip");
        if (static_cast<std::int64_t>(zipBytes.size()) > kMaxZippedCodeBytes)
            return makeError(ErrorCode::RequestTooLarge,
                             "Request must be smaller than " + std::to_string(kMaxZippedCodeBytes) +
                                 " bytes for the PublishLayerVersion operation");

        // Everything is built in staging, then moved into place in one rename under the lock.
        fs::create_directories(m_impl->stagingRoot);
        const fs::path staging = m_impl->stagingRoot / common::newUuid();
        struct Cleanup {
            fs::path path;
            ~Cleanup() { detail::removeTreeQuietly(path); }
        } cleanup{staging};
        fs::create_directories(staging);
        if (auto extracted =
                detail::extractZip(zipBytes, staging / "tree", detail::kMaxUnzippedBytes);
            !extracted)
            return extracted.error();
        {
            std::ofstream out(staging / "content.zip", std::ios::binary);
            out.write(zipBytes.data(), static_cast<std::streamsize>(zipBytes.size()));
            if (!out.flush())
                throw detail::StoreFailure("cannot write " + (staging / "content.zip").string());
        }

        LayerVersion entry;
        LayerVersionInfo &info = entry.info;
        info.layerName = *name;
        info.description = input.description;
        info.licenseInfo = input.licenseInfo;
        info.compatibleRuntimes = input.compatibleRuntimes;
        info.compatibleArchitectures = input.compatibleArchitectures;
        info.codeSha256 = common::sha256Base64(zipBytes);
        info.codeSize = static_cast<std::int64_t>(zipBytes.size());
        info.unzippedSize = detail::treeBytes(staging / "tree");
        info.createdMs = common::epochMillis();
        info.createdDate = detail::formatLastModified(info.createdMs);
        info.layerArn = m_impl->layerArn(info.layerName);

        std::lock_guard lock(m_impl->mutex);
        info.version = m_impl->lastVersion[info.layerName] + 1;
        info.layerVersionArn = info.layerArn + ":" + std::to_string(info.version);
        const fs::path target = m_impl->versionDir(info.layerName, info.version);
        detail::removeTreeQuietly(target); // orphan of a publish that crashed before its commit
        fs::create_directories(target.parent_path());
        fs::rename(staging, target);
        cleanup.path = target; // until SQLite points at it
        detail::Transaction transaction(m_impl->db);
        m_impl->db
            .prepare("INSERT INTO layers (name, last_version) VALUES (?1, ?2) "
                     "ON CONFLICT (name) DO UPDATE SET last_version = ?2")
            .bind(1, info.layerName)
            .bind(2, info.version)
            .run();
        m_impl->db
            .prepare("INSERT INTO layer_versions (layer_name, version, description, license_info, "
                     "compatible_runtimes, compatible_architectures, code_sha256, code_size, "
                     "unzipped_size, created_ms, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")
            .bind(1, info.layerName)
            .bind(2, info.version)
            .bind(3, info.description)
            .bind(4, info.licenseInfo)
            .bind(5, nlohmann::json(info.compatibleRuntimes).dump())
            .bind(6, nlohmann::json(info.compatibleArchitectures).dump())
            .bind(7, info.codeSha256)
            .bind(8, info.codeSize)
            .bind(9, info.unzippedSize)
            .bind(10, info.createdMs)
            .run();
        transaction.commit();
        cleanup.path.clear();
        m_impl->lastVersion[info.layerName] = info.version;
        m_impl->layers[info.layerName][info.version] = entry;
        return info;
    });
}

std::vector<LayerVersionInfo> LayerStore::list(const LayerFilter &filter)
{
    std::lock_guard lock(m_impl->mutex);
    std::vector<LayerVersionInfo> latest;
    for (const auto &[name, versions] : m_impl->layers) {
        for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
            if (!it->second.deleted && matches(it->second.info, filter)) {
                latest.push_back(it->second.info);
                break;
            }
        }
    }
    return latest;
}

std::vector<LayerVersionInfo> LayerStore::versions(const std::string &layerName,
                                                   const LayerFilter &filter)
{
    const auto name = m_impl->ownName(layerName);
    std::lock_guard lock(m_impl->mutex);
    std::vector<LayerVersionInfo> found;
    const auto layer = name ? m_impl->layers.find(*name) : m_impl->layers.end();
    if (layer == m_impl->layers.end())
        return found;
    for (auto it = layer->second.rbegin(); it != layer->second.rend(); ++it)
        if (!it->second.deleted && matches(it->second.info, filter))
            found.push_back(it->second.info);
    return found;
}

Result<LayerVersionInfo> LayerStore::get(const std::string &layerName, std::int64_t version)
{
    const auto name = m_impl->ownName(layerName);
    if (!name)
        return name.error();
    std::lock_guard lock(m_impl->mutex);
    const LayerVersion *found = m_impl->find(*name, version);
    if (!found || found->deleted)
        return resourceNotFound();
    return found->info;
}

Result<LayerVersionInfo> LayerStore::getByArn(const std::string &layerVersionArn)
{
    if (auto parsed = parseLayerVersionArn(layerVersionArn); !parsed)
        return parsed.error();
    std::lock_guard lock(m_impl->mutex);
    const LayerVersion *found = m_impl->findArn(layerVersionArn);
    if (!found || found->deleted)
        return resourceNotFound();
    return found->info;
}

Result<void> LayerStore::remove(const std::string &layerName, std::int64_t version)
{
    return detail::guarded("delete layer version", [&]() -> Result<void> {
        const auto name = m_impl->ownName(layerName);
        if (!name)
            return name.error().code == ErrorCode::NotFound ? Result<void>{}
                                                            : Result<void>{name.error()};
        std::lock_guard lock(m_impl->mutex);
        auto layer = m_impl->layers.find(*name);
        if (layer == m_impl->layers.end() || !layer->second.contains(version))
            return {};
        m_impl->db
            .prepare("UPDATE layer_versions SET deleted = 1 WHERE layer_name = ? AND version = ?")
            .bind(1, *name)
            .bind(2, version)
            .run();
        // The files stay until the next open(): a function may be starting with them right now.
        layer->second[version].deleted = true;
        return {};
    });
}

Result<std::string> LayerStore::zip(const std::string &layerName, std::int64_t version)
{
    return detail::guarded("read layer version", [&]() -> Result<std::string> {
        auto info = get(layerName, version);
        if (!info)
            return info.error();
        std::ifstream in(m_impl->versionDir(info->layerName, version) / "content.zip",
                         std::ios::binary);
        if (!in)
            return resourceNotFound();
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    });
}

Result<ResolvedLayers> LayerStore::attach(const std::vector<std::string> &layerVersionArns)
{
    std::lock_guard lock(m_impl->mutex);
    ResolvedLayers resolved;
    std::map<std::string, std::string> byLayer; // layer name -> the version ARN that named it
    for (const std::string &arn : layerVersionArns) {
        const LayerVersion *found = m_impl->findArn(arn);
        if (!found || found->deleted)
            return makeError(ErrorCode::InvalidParameter,
                             "Layer version " + arn + " does not exist.");
        const auto [earlier, inserted] = byLayer.emplace(found->info.layerName, arn);
        if (!inserted)
            return makeError(ErrorCode::InvalidParameter,
                             "Two different versions of the same layer are not allowed to be "
                             "referenced in the same function. " +
                                 earlier->second + " and " + arn +
                                 " are versions of the same layer.");
        resolved.layers.push_back({arn, found->info.codeSize});
        resolved.dirs.push_back(m_impl->versionDir(found->info.layerName, found->info.version) /
                                "tree");
        resolved.unzippedBytes += found->info.unzippedSize;
    }
    return resolved;
}

ResolvedLayers LayerStore::describe(const std::vector<std::string> &layerVersionArns)
{
    std::lock_guard lock(m_impl->mutex);
    ResolvedLayers resolved;
    for (const std::string &arn : layerVersionArns) {
        const LayerVersion *found = m_impl->findArn(arn);
        resolved.layers.push_back({arn, found ? found->info.codeSize : 0});
        resolved.dirs.push_back(
            found ? m_impl->versionDir(found->info.layerName, found->info.version) / "tree"
                  : fs::path());
        if (found)
            resolved.unzippedBytes += found->info.unzippedSize;
    }
    return resolved;
}

} // namespace lambdesk::engine
