#pragma once
// Layers: account-wide versions of content that functions see at /opt. A version never changes
// once published; its zip and its extracted tree live under layers/<name>/<version>/, and SQLite
// (a connection and a lock of its own) holds what the API reports. Versions are few and
// immutable, so they are also kept in memory: resolving a function's layers on the invoke path
// reads no database.
//
// A deleted version leaves the API at once but keeps its files while a function or a published
// version still references it, as in Lambda; open() removes the files nobody references any more.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"
#include "store/storeoptions.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lambdesk::engine {

// A function's layers as the sandbox mounts them.
struct ResolvedLayers {
    std::vector<FunctionLayer> layers;
    std::vector<std::filesystem::path> dirs; // extracted trees, in the same order
    std::int64_t unzippedBytes = 0;          // their files together
};

class LayerStore {
public:
    // The data dir's database, whose schema the function store has created. Runs before any
    // function is served: it removes the files of deleted, unreferenced versions.
    static Result<std::unique_ptr<LayerStore>> open(const StoreOptions &options);
    ~LayerStore();
    LayerStore(const LayerStore &) = delete;
    LayerStore &operator=(const LayerStore &) = delete;

    Result<LayerVersionInfo> publish(const LayerVersionInput &input, std::string_view zipBytes);
    std::vector<LayerVersionInfo> list(const LayerFilter &filter);
    std::vector<LayerVersionInfo> versions(const std::string &layerName, const LayerFilter &filter);
    Result<LayerVersionInfo> get(const std::string &layerName, std::int64_t version);
    Result<LayerVersionInfo> getByArn(const std::string &layerVersionArn);
    // Idempotent, as DeleteLayerVersion is.
    Result<void> remove(const std::string &layerName, std::int64_t version);
    Result<std::string> zip(const std::string &layerName, std::int64_t version);

    // The layers a function is about to reference: each must exist and not be deleted, and one
    // layer may appear once. InvalidParameter in Lambda's words otherwise.
    Result<ResolvedLayers> attach(const std::vector<std::string> &layerVersionArns);
    // The layers a function references now (deleted versions included). A version the data dir
    // lost has an empty dir, which the invoke path reports.
    ResolvedLayers describe(const std::vector<std::string> &layerVersionArns);

private:
    struct Impl;
    explicit LayerStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::engine
