// Folder buckets in the store: one folder per bucket name, kept across reopening, and a data dir
// from before schema 12 (when a folder was a bucket only through its triggers) keeps each such
// bucket with its folder.
#include "storefixture.h"

#include "store/foldertriggers.h"

namespace lambdesk::engine {
namespace {

class FolderBucketsTest : public test::StoreWithFunction {
protected:
    FolderTriggerStore &buckets() { return m_store->folderTriggers(); }

    static FolderTrigger trigger(const std::string &id, const std::string &folder,
                                 const std::string &bucket)
    {
        FolderTrigger trigger;
        trigger.id = id;
        trigger.functionName = "orders";
        trigger.folder = folder;
        trigger.bucket = bucket;
        trigger.events = {kS3ObjectCreatedAll};
        return trigger;
    }
};

TEST_F(FolderBucketsTest, OneFolderPerNameKeptAcrossReopening)
{
    EXPECT_EQ(*buckets().addBucket({"inbox", "/data/inbox"}, 1), "/data/inbox");
    EXPECT_EQ(*buckets().addBucket({"inbox", "/other/inbox"}, 2), "/data/inbox")
        << "the name stays with the folder registered first";
    EXPECT_EQ(*buckets().addBucket({"archive", "/data/archive"}, 3), "/data/archive");
    reopen();
    const auto listed = buckets().buckets();
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 2U);
    EXPECT_EQ(listed->at(0).name, "archive");
    EXPECT_EQ(listed->at(1).folder, "/data/inbox");
    EXPECT_EQ(**buckets().bucketFolder("inbox"), "/data/inbox");
    ASSERT_TRUE(buckets().removeBucket("inbox").ok());
    EXPECT_FALSE(buckets().bucketFolder("inbox")->has_value());
}

TEST_F(FolderBucketsTest, ADataDirFromSchemaElevenKeepsItsTriggersBuckets)
{
    ASSERT_TRUE(buckets().add(trigger("t1", "/data/inbox", "inbox"), 10).ok());
    ASSERT_TRUE(buckets().add(trigger("t2", "/data/inbox", "inbox"), 20).ok());
    ASSERT_TRUE(buckets().add(trigger("t3", "/data/reports", "reports"), 30).ok());
    reopen("DROP TABLE folder_buckets; PRAGMA user_version = 11;");
    const auto listed = buckets().buckets();
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 2U);
    EXPECT_EQ(listed->at(0).name, "inbox");
    EXPECT_EQ(listed->at(0).folder, "/data/inbox");
    EXPECT_EQ(listed->at(1).name, "reports");
    EXPECT_EQ(listed->at(1).folder, "/data/reports");
}

} // namespace
} // namespace lambdesk::engine
