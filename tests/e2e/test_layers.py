"""Layers through boto3 and awscli: the 2018-10-31 layer API, and layer content at /opt in a function.

The API tests run once (on the process backend); the /opt tests run on every backend."""

import base64
import io
import json
import os
import tempfile
import unittest
import zipfile

from lambdesk_e2e import SANDBOX, EngineTestCase, api_only, node_runtime, python_runtime, zip_bytes

ROLE = "arn:aws:iam::000000000000:role/x"
LAYER_ARN = "arn:aws:lambda:us-east-1:000000000000:layer:"

# Reports what the function sees of /opt: modules, a binary on PATH, the files the layers left.
PROBE = """
import json, os, subprocess
def handler(event, context):
    import greeting
    from sitepkg import value
    return {"greeting": greeting.text, "site": value,
            "tool": subprocess.run(["layertool"], capture_output=True, text=True).stdout.strip(),
            "shared": open("/opt/shared.txt").read(),
            "ld": os.environ.get("LD_LIBRARY_PATH", ""),
            "writable": os.access("/opt/shared.txt", os.W_OK)}
"""


class Layers(EngineTestCase):
    def setUp(self):
        self.client = self.boto3_client()

    def publish(self, name, files, modes=None, **kwargs):
        return self.client.publish_layer_version(LayerName=name, Content={"ZipFile": zip_bytes(files, modes)},
                                                 **kwargs)

    def create(self, name, files, layers, runtime=None, handler="app.handler"):
        return self.client.create_function(FunctionName=name, Runtime=runtime or python_runtime(), Role=ROLE,
                                           Handler=handler, Code={"ZipFile": zip_bytes(files)}, Layers=layers)

    def invoke(self, name):
        response = self.client.invoke(FunctionName=name)
        body = json.loads(response["Payload"].read())
        self.assertNotIn("FunctionError", response, body)
        return body

    @api_only
    def test_publish_get_list_and_delete(self):
        first = self.publish("utils", {"python/utils.py": "X = 1\n"}, Description="first",
                             CompatibleRuntimes=["python3.11", "python3.12"], CompatibleArchitectures=["x86_64"],
                             LicenseInfo="MIT")
        self.assertEqual(first["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertEqual(first["LayerArn"], LAYER_ARN + "utils")
        self.assertEqual(first["LayerVersionArn"], LAYER_ARN + "utils:1")
        self.assertEqual(first["Version"], 1)
        self.assertEqual(first["Description"], "first")
        self.assertEqual(first["LicenseInfo"], "MIT")
        self.assertEqual(first["CompatibleRuntimes"], ["python3.11", "python3.12"])
        self.assertEqual(first["CompatibleArchitectures"], ["x86_64"])
        self.assertTrue(first["CreatedDate"])
        self.assertGreater(first["Content"]["CodeSize"], 0)
        # Content.Location serves the zip that was published.
        with zipfile.ZipFile(io.BytesIO(self.download(first["Content"]["Location"]))) as archive:
                self.assertEqual(archive.read("python/utils.py"), b"X = 1\n")

        second = self.publish(LAYER_ARN + "utils", {"python/utils.py": "X = 2\n"}, CompatibleRuntimes=["nodejs20.x"])
        self.assertEqual(second["Version"], 2)
        self.publish("other", {"bin/x": "x"}, CompatibleArchitectures=["arm64"])

        got = self.client.get_layer_version(LayerName="utils", VersionNumber=1)
        self.assertEqual(got["Content"]["CodeSha256"], first["Content"]["CodeSha256"])
        by_arn = self.client.get_layer_version_by_arn(Arn=LAYER_ARN + "utils:2")
        self.assertEqual(by_arn["Version"], 2)

        versions = self.client.list_layer_versions(LayerName="utils")["LayerVersions"]
        self.assertEqual([v["Version"] for v in versions], [2, 1])
        python_only = self.client.list_layer_versions(LayerName="utils", CompatibleRuntime="python3.12")
        self.assertEqual([v["Version"] for v in python_only["LayerVersions"]], [1])
        layers = {layer["LayerName"]: layer for layer in self.client.list_layers()["Layers"]}
        self.assertEqual(layers["utils"]["LatestMatchingVersion"]["Version"], 2)
        self.assertEqual(layers["utils"]["LayerArn"], LAYER_ARN + "utils")
        matching = self.client.list_layers(CompatibleRuntime="python3.11")["Layers"]
        self.assertEqual([(l["LayerName"], l["LatestMatchingVersion"]["Version"]) for l in matching], [("utils", 1)])
        arm = self.client.list_layers(CompatibleArchitecture="arm64")["Layers"]
        self.assertEqual([l["LayerName"] for l in arm], ["other"])
        page = self.client.list_layer_versions(LayerName="utils", MaxItems=1)
        self.assertEqual([v["Version"] for v in page["LayerVersions"]], [2])
        rest = self.client.list_layer_versions(LayerName="utils", Marker=page["NextMarker"])
        self.assertEqual([v["Version"] for v in rest["LayerVersions"]], [1])

        # Deleting is idempotent; the number is never given again.
        self.client.delete_layer_version(LayerName="utils", VersionNumber=2)
        self.client.delete_layer_version(LayerName="utils", VersionNumber=2)
        self.assert_error("ResourceNotFoundException", "does not exist", self.client.get_layer_version,
                          LayerName="utils", VersionNumber=2)
        self.assertEqual(self.publish("utils", {"python/utils.py": "X = 3\n"})["Version"], 3)
        self.assertEqual([v["Version"] for v in self.client.list_layer_versions(LayerName="utils")["LayerVersions"]],
                         [3, 1])

    @api_only
    def test_bad_input_is_refused_in_aws_words(self):
        self.assert_error("ValidationException", "layerName", self.publish, "bad name!", {"a": "b"})
        self.assert_error("ValidationException", "compatibleRuntimes", self.publish, "rt", {"a": "b"},
                          CompatibleRuntimes=["cobol1.0"])
        self.assert_error("InvalidParameterValueException", "Could not unzip",
                          self.client.publish_layer_version, LayerName="broken", Content={"ZipFile": b"not a zip"})
        self.assert_error("ResourceNotFoundException", "does not exist", self.client.get_layer_version_by_arn,
                          Arn=LAYER_ARN + "missing:1")
        self.assert_error("ValidationException", "layers", self.create, "bad-arn",
                          {"app.py": "def handler(e, c):\n    return 1\n"}, ["not-an-arn"])

    @api_only
    def test_attach_limits(self):
        arns = [self.publish("part%d" % i, {"python/part%d.py" % i: "N = %d\n" % i})["LayerVersionArn"]
                for i in range(6)]
        code = {"app.py": "def handler(e, c):\n    return 1\n"}
        created = self.create("five-layers", code, arns[:5])
        self.assertEqual([layer["Arn"] for layer in created["Layers"]], arns[:5])
        self.assertTrue(all(layer["CodeSize"] > 0 for layer in created["Layers"]))
        self.assert_error("InvalidParameterValueException", "Cannot reference more than 5 layers",
                          self.client.update_function_configuration, FunctionName="five-layers", Layers=arns)
        self.assert_error("InvalidParameterValueException", "Layer version " + LAYER_ARN + "nothing:1 does not exist",
                          self.create, "missing-layer", code, [LAYER_ARN + "nothing:1"])
        again = self.publish("part0", {"python/part0.py": "N = 10\n"})["LayerVersionArn"]
        self.assert_error("InvalidParameterValueException", "Two different versions of the same layer",
                          self.create, "same-layer-twice", code, [arns[0], again])
        # Another region's layer cannot be fetched here.
        self.assert_error("InvalidParameterValueException", "does not exist", self.create, "foreign", code,
                          ["arn:aws:lambda:eu-west-1:123456789012:layer:foreign:1"])
        # The failed updates changed nothing.
        config = self.client.get_function_configuration(FunctionName="five-layers")
        self.assertEqual([layer["Arn"] for layer in config["Layers"]], arns[:5])

    @api_only
    def test_code_and_layers_together_stay_within_250_mb(self):
        def zeros(megabytes):  # compresses to a few hundred KB
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("big/zeros.bin", b"\0" * (megabytes * 1024 * 1024))
            return buffer.getvalue()
        big = self.client.publish_layer_version(LayerName="big", Content={"ZipFile": zeros(130)})
        bigger = self.client.publish_layer_version(LayerName="bigger", Content={"ZipFile": zeros(125)})
        code = {"app.py": "def handler(e, c):\n    return 1\n"}
        self.create("one-big-layer", code, [big["LayerVersionArn"]])
        self.assert_error("InvalidParameterValueException", "exceeds the maximum allowed size of 262144000 bytes",
                          self.client.update_function_configuration, FunctionName="one-big-layer",
                          Layers=[big["LayerVersionArn"], bigger["LayerVersionArn"]])

    def test_layer_content_at_opt_in_order(self):
        base = self.publish("base", {
            "python/greeting.py": "text = 'from base'\n",
            "python/lib/%s/site-packages/sitepkg/__init__.py" % python_runtime(): "value = 'site-packages'\n",
            "bin/layertool": "#!/bin/sh\necho tool from layer\n",
            "shared.txt": "base",
        }, modes={"bin/layertool": 0o755})
        override = self.publish("override", {"python/greeting.py": "text = 'from override'\n", "shared.txt": "override"})

        self.create("opt-probe", {"app.py": PROBE}, [base["LayerVersionArn"], override["LayerVersionArn"]])
        seen = self.invoke("opt-probe")
        self.assertEqual(seen["greeting"], "from override")  # the later layer wins
        self.assertEqual(seen["shared"], "override")
        self.assertEqual(seen["site"], "site-packages")
        self.assertEqual(seen["tool"], "tool from layer")
        self.assertIn("/opt/lib", seen["ld"].split(":"))
        self.assertFalse(seen["writable"])

        # In the other order, the other file wins.
        self.client.update_function_configuration(
            FunctionName="opt-probe", Layers=[override["LayerVersionArn"], base["LayerVersionArn"]])
        self.assertEqual(self.invoke("opt-probe")["shared"], "base")

        # A deleted version keeps serving the function that references it.
        self.client.delete_layer_version(LayerName="base", VersionNumber=base["Version"])
        self.client.update_function_code(FunctionName="opt-probe", ZipFile=zip_bytes({"app.py": PROBE + "\n"}))
        self.assertEqual(self.invoke("opt-probe")["shared"], "base")

    def test_node_module_from_a_layer(self):
        runtime = node_runtime()
        major = runtime[len("nodejs"):-len(".x")]
        layer = self.publish("node-libs", {
            "nodejs/node_modules/leftpad/index.js": "module.exports = (s, n) => String(s).padStart(n, '*');\n",
            "nodejs/node%s/node_modules/versioned/index.js" % major: "module.exports = 'versioned';\n",
        })
        self.create("node-layer", {"index.js": "const pad = require('leftpad');\nconst v = require('versioned');\n"
                                               "exports.handler = async () => ({padded: pad('x', 3), v});\n"},
                    [layer["LayerVersionArn"]], runtime=runtime, handler="index.handler")
        self.assertEqual(self.invoke("node-layer"), {"padded": "**x", "v": "versioned"})


class LayersThroughTheCli(EngineTestCase):
    @api_only
    def test_publish_and_list_with_awscli(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "layer.zip")
            with open(path, "wb") as out:
                out.write(zip_bytes({"python/cli_layer.py": "OK = True\n"}))
            published = json.loads(self.aws("publish-layer-version", "--layer-name", "cli-layer",
                                            "--zip-file", "fileb://" + path,
                                            "--compatible-runtimes", "python3.11").stdout)
        self.assertEqual(published["LayerVersionArn"], LAYER_ARN + "cli-layer:1")
        listed = json.loads(self.aws("list-layers").stdout)
        self.assertEqual([l["LayerName"] for l in listed["Layers"]], ["cli-layer"])
        self.aws("delete-layer-version", "--layer-name", "cli-layer", "--version-number", "1")
        failed = self.aws("get-layer-version", "--layer-name", "cli-layer", "--version-number", "1", check=False)
        self.assertNotEqual(failed.returncode, 0)
        self.assertIn("ResourceNotFoundException", failed.stderr)


if __name__ == "__main__":
    unittest.main()
