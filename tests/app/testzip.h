#pragma once
// Deployment packages for the screen tests, written with libzip (the same library the engine
// reads them with): tests that upload a .zip need real archive bytes.

#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/types.h"

#include <zip.h>

#include <string>
#include <vector>

namespace lambdesk::app {

inline std::string makeZip(const std::vector<engine::CodeFile> &files)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_t *archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
    zip_source_keep(buffer); // read the bytes back after zip_close
    for (const auto &file : files) {
        zip_source_t *data = zip_source_buffer(archive, file.content.data(), file.content.size(), 0);
        const zip_int64_t index = zip_file_add(archive, file.path.c_str(), data, ZIP_FL_ENC_UTF_8);
        zip_file_set_external_attributes(archive, static_cast<zip_uint64_t>(index), 0, ZIP_OPSYS_UNIX,
                                         (file.executable ? 0100755u : 0100644u) << 16);
    }
    zip_close(archive);
    std::string bytes;
    zip_source_open(buffer);
    zip_source_seek(buffer, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(buffer);
    zip_source_seek(buffer, 0, SEEK_SET);
    bytes.resize(static_cast<std::size_t>(size));
    zip_source_read(buffer, bytes.data(), static_cast<zip_uint64_t>(size));
    zip_source_close(buffer);
    zip_source_free(buffer);
    zip_error_fini(&error);
    return bytes;
}

// The screen tests' function: a Python handler that returns its event.
inline engine::Result<engine::FunctionInfo>
createEchoFunction(engine::Engine &engine, const std::string &name, const std::string &runtime)
{
    engine::FunctionConfig config;
    config.name = name;
    config.runtime = runtime;
    config.handler = "lambda_function.lambda_handler";
    return engine.createFunction(
        config, makeZip({{"lambda_function.py",
                          "def lambda_handler(event, context):\n    return event\n", false}}));
}

} // namespace lambdesk::app
