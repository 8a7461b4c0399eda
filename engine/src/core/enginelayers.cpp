// The Engine facade's layer operations: the store's layer owner answers them all.
#include "core/engineimpl.h"
#include "store/codetree.h"
#include "store/layerstore.h"
#include "store/ziparchive.h"

namespace lambdesk::engine {

Result<LayerVersionInfo> Engine::publishLayerVersion(const LayerVersionInput &input,
                                                     const std::string &zipBytes)
{
    return m_impl->store->layers().publish(input, zipBytes);
}

Result<LayerVersionInfo> Engine::publishLayerVersionFromFiles(const LayerVersionInput &input,
                                                              const std::vector<CodeFile> &files)
{
    auto entries = detail::entriesFromCodeFiles(files);
    if (!entries)
        return entries.error();
    return publishLayerVersion(input, detail::buildZip(std::move(*entries)));
}

std::vector<LayerVersionInfo> Engine::listLayers(const LayerFilter &filter)
{
    return m_impl->store->layers().list(filter);
}

std::vector<LayerVersionInfo> Engine::listLayerVersions(const std::string &layerName,
                                                        const LayerFilter &filter)
{
    return m_impl->store->layers().versions(layerName, filter);
}

Result<LayerVersionInfo> Engine::getLayerVersion(const std::string &layerName, std::int64_t version)
{
    return m_impl->store->layers().get(layerName, version);
}

Result<LayerVersionInfo> Engine::getLayerVersionByArn(const std::string &layerVersionArn)
{
    return m_impl->store->layers().getByArn(layerVersionArn);
}

Result<void> Engine::deleteLayerVersion(const std::string &layerName, std::int64_t version)
{
    return m_impl->store->layers().remove(layerName, version);
}

Result<std::string> Engine::layerZip(const std::string &layerName, std::int64_t version)
{
    return m_impl->store->layers().zip(layerName, version);
}

} // namespace lambdesk::engine
