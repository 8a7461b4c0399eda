"""Folder buckets: a function's boto3 reaches S3's object API on its own Runtime API endpoint
(AWS_ENDPOINT_URL_S3), and what it does lands on real files in the folders the engine was started
with (--bucket). The client is the real one, inside the sandbox, on every backend."""

import hashlib
import json
import os
import shutil
import tempfile
import unittest

from lambdesk_e2e import EngineTestCase, python_runtime, zip_bytes

# Everything the function does, with what S3 answered; errors as their codes.
FUNCTION = r'''
import hashlib
import os
import boto3
import botocore.exceptions

# As on Lambda: the runtime points boto3 at AWS_ENDPOINT_URL_S3 (Debian's botocore does not).
s3 = boto3.client("s3")


def code_of(call, **kwargs):
    try:
        call(**kwargs)
        return "no error"
    except botocore.exceptions.ClientError as error:
        return error.response["Error"]["Code"]


def handler(event, context):
    out = {"endpoint": os.environ.get("AWS_ENDPOINT_URL_S3")}
    out["buckets"] = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    key = "reports/2026/q4 summary+1.csv"
    put = s3.put_object(Bucket="inbox-bucket", Key=key, Body=b"a,b\n1,2\n")
    out["put_etag"] = put["ETag"]
    head = s3.head_object(Bucket="inbox-bucket", Key=key)
    out["head"] = [head["ContentLength"], head["ETag"]]
    out["body"] = s3.get_object(Bucket="inbox-bucket", Key=key)["Body"].read().decode()
    part = s3.get_object(Bucket="inbox-bucket", Key=key, Range="bytes=0-2")
    out["range"] = [part["Body"].read().decode(), part["ContentRange"]]
    for name in ("a.txt", "b.txt", "c/d.txt", "c/e.txt"):
        s3.put_object(Bucket="inbox-bucket", Key=name, Body=name.encode())
    top = s3.list_objects_v2(Bucket="inbox-bucket", Delimiter="/")
    out["top"] = [[o["Key"] for o in top.get("Contents", [])],
                  [p["Prefix"] for p in top.get("CommonPrefixes", [])]]
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket="inbox-bucket",
                                                        PaginationConfig={"PageSize": 2})
    out["pages"] = [[o["Key"] for o in page.get("Contents", [])] for page in pages]
    out["v1"] = [o["Key"] for o in s3.list_objects(Bucket="inbox-bucket", Prefix="c/")["Contents"]]
    s3.copy_object(Bucket="archive-bucket", Key="copied.csv",
                   CopySource={"Bucket": "inbox-bucket", "Key": key})
    s3.delete_object(Bucket="inbox-bucket", Key=key)
    out["deleted_head"] = code_of(s3.head_object, Bucket="inbox-bucket", Key=key)
    out["missing_key"] = code_of(s3.get_object, Bucket="inbox-bucket", Key="nothing-here")
    out["missing_bucket"] = code_of(s3.get_object, Bucket="no-such-bucket", Key="a.txt")
    out["escape"] = code_of(s3.put_object, Bucket="inbox-bucket", Key="c/../../escape", Body=b"x")
    out["head_bucket"] = code_of(s3.head_bucket, Bucket="archive-bucket")
    # A sub-resource a folder has no place for is refused, never taken for the object itself.
    out["tagging"] = code_of(s3.put_object_tagging, Bucket="inbox-bucket", Key="a.txt",
                             Tagging={"TagSet": [{"Key": "team", "Value": "data"}]})
    out["acl"] = code_of(s3.get_object_acl, Bucket="inbox-bucket", Key="a.txt")
    tail = s3.get_object(Bucket="inbox-bucket", Key="a.txt", Range="bytes=2-1023")
    out["clamped"] = [tail["Body"].read().decode(), tail["ContentRange"]]
    out["past_end"] = code_of(s3.get_object, Bucket="inbox-bucket", Key="a.txt", Range="bytes=100-")
    out["missing_ranged"] = code_of(s3.get_object, Bucket="inbox-bucket", Key="gone", Range="bytes=1-")

    # Above 8 MB boto3 uploads in parts from several threads and downloads in ranges.
    big = os.urandom(9 * 1024 * 1024 + 5)
    with open("/tmp/big.bin", "wb") as f:
        f.write(big)
    s3.upload_file("/tmp/big.bin", "archive-bucket", "big/blob.bin")
    s3.download_file("archive-bucket", "big/blob.bin", "/tmp/back.bin")
    with open("/tmp/back.bin", "rb") as f:
        back = f.read()
    out["multipart"] = [back == big, hashlib.md5(big).hexdigest(),
                        s3.head_object(Bucket="archive-bucket", Key="big/blob.bin")["ContentLength"]]
    upload = s3.create_multipart_upload(Bucket="inbox-bucket", Key="aborted.bin")["UploadId"]
    s3.upload_part(Bucket="inbox-bucket", Key="aborted.bin", UploadId=upload, PartNumber=1, Body=b"x")
    out["bad_part"] = code_of(s3.complete_multipart_upload, Bucket="inbox-bucket", Key="aborted.bin",
                              UploadId=upload,
                              MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"0000"'}]})
    s3.abort_multipart_upload(Bucket="inbox-bucket", Key="aborted.bin", UploadId=upload)
    out["after_abort"] = code_of(s3.upload_part, Bucket="inbox-bucket", Key="aborted.bin",
                                 UploadId=upload, PartNumber=2, Body=b"y")
    return out
'''


class FolderBuckets(EngineTestCase):
    @classmethod
    def setUpClass(cls):
        cls.folders = tempfile.mkdtemp(prefix="lambdesk-buckets-")
        cls.inbox = os.path.join(cls.folders, "inbox-bucket")
        cls.archive = os.path.join(cls.folders, "archive-bucket")
        os.makedirs(cls.inbox)  # archive-bucket is made by --bucket
        cls.engine_args = ("--bucket", cls.inbox, "--bucket", cls.archive)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.folders, ignore_errors=True)

    def test_a_function_reads_and_writes_the_folders_through_boto3(self):
        client = self.boto3_client()
        client.create_function(FunctionName="buckets", Runtime=python_runtime(), Timeout=60, MemorySize=512,
                               Role="arn:aws:iam::000000000000:role/x", Handler="app.handler",
                               Code={"ZipFile": zip_bytes({"app.py": FUNCTION})})
        response = client.invoke(FunctionName="buckets")
        out = json.loads(response["Payload"].read())
        self.assertNotIn("FunctionError", response, out)

        self.assertTrue(out["endpoint"].startswith("http://127.0.0.1:"), out["endpoint"])
        self.assertTrue(out["endpoint"].endswith("/s3"), out["endpoint"])
        self.assertEqual(out["buckets"], ["archive-bucket", "inbox-bucket"])
        md5 = '"e5ebd4c02cefbe7955977c67ada242b7"'  # of "a,b\n1,2\n"
        self.assertEqual(out["put_etag"], md5)
        self.assertEqual(out["head"], [8, md5])
        self.assertEqual(out["body"], "a,b\n1,2\n")
        self.assertEqual(out["range"], ["a,b", "bytes 0-2/8"])
        self.assertEqual(out["top"], [["a.txt", "b.txt"], ["c/", "reports/"]])
        self.assertEqual(out["pages"], [["a.txt", "b.txt"], ["c/d.txt", "c/e.txt"],
                                        ["reports/2026/q4 summary+1.csv"]])
        self.assertEqual(out["v1"], ["c/d.txt", "c/e.txt"])
        self.assertEqual(out["deleted_head"], "404")
        self.assertEqual(out["missing_key"], "NoSuchKey")
        self.assertEqual(out["missing_bucket"], "NoSuchBucket")
        self.assertEqual(out["escape"], "InvalidArgument")
        self.assertEqual(out["head_bucket"], "no error")
        self.assertEqual(out["tagging"], "NotImplemented")
        self.assertEqual(out["acl"], "NotImplemented")
        with open(os.path.join(self.inbox, "a.txt")) as untouched:
            self.assertEqual(untouched.read(), "a.txt")
        self.assertEqual(out["clamped"], ["txt", "bytes 2-4/5"])
        self.assertEqual(out["past_end"], "InvalidRange")
        self.assertEqual(out["missing_ranged"], "NoSuchKey")

        # Real files, where the keys say.
        with open(os.path.join(self.archive, "copied.csv")) as copied:
            self.assertEqual(copied.read(), "a,b\n1,2\n")
        with open(os.path.join(self.inbox, "c", "e.txt")) as written:
            self.assertEqual(written.read(), "c/e.txt")
        self.assertFalse(os.path.exists(os.path.join(self.inbox, "reports/2026/q4 summary+1.csv")))
        self.assertFalse(os.path.exists(os.path.join(self.folders, "escape")))
        self.assertTrue(out["multipart"][0], "the downloaded file differs from the uploaded one")
        with open(os.path.join(self.archive, "big", "blob.bin"), "rb") as blob:
            self.assertEqual(hashlib.md5(blob.read()).hexdigest(), out["multipart"][1])
        self.assertEqual(out["multipart"][2], 9 * 1024 * 1024 + 5)
        self.assertEqual(out["bad_part"], "InvalidPart")
        self.assertEqual(out["after_abort"], "NoSuchUpload")
        self.assertFalse(os.path.exists(os.path.join(self.inbox, "aborted.bin")))
        leftovers = [name for folder in (self.inbox, self.archive)
                     for _, dirs, names in os.walk(folder) for name in dirs + names
                     if name.startswith(".lambdesk-upload-")]
        self.assertEqual(leftovers, [])


if __name__ == "__main__":
    unittest.main()
