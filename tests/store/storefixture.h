#pragma once
// A store in a temporary data dir holding one function, "orders", for the tests of the parts
// of the data dir that belong to a function.

#include "storetestutil.h"

#include "store/functionstore.h"

#include <memory>

namespace lambdesk::engine::test {

class StoreWithFunction : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto opened = FunctionStore::open({m_dir.path()});
        ASSERT_TRUE(opened) << opened.error().message;
        m_store = std::move(*opened);
        ASSERT_TRUE(m_store->create(ordersConfig(), pythonZip()));
    }

    static FunctionConfig ordersConfig()
    {
        FunctionConfig config;
        config.name = "orders";
        config.runtime = "nodejs20.x";
        config.handler = "index.handler";
        return config;
    }

    TempDir m_dir;
    std::unique_ptr<FunctionStore> m_store;
};

} // namespace lambdesk::engine::test
