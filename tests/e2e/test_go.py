"""Go functions on provided.al2023, built on Deploy: a Go module (go.mod + main.go) is compiled
by the installed toolchain into the custom runtime's bootstrap, with no network (the standard
library and what the module vendors), for the function's architecture. Code that does not
build is refused with the compiler's messages and the previous code keeps running."""

import base64
import io
import json
import shutil
import unittest
import zipfile

from lambdesk_e2e import EngineTestCase, zip_bytes

ROLE = "arn:aws:iam::000000000000:role/x"

MAIN = r'''package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"

	"example.com/greet"
)

// The Runtime API with the standard library: next event, then its response.
func main() {
	api := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/"
	for {
		resp, err := http.Get(api + "next")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var event map[string]any
		json.Unmarshal(body, &event)
		fmt.Println("event", string(body))
		name, _ := event["name"].(string)
		out, _ := json.Marshal(map[string]any{"message": greet.Hello(name), "version": VERSION})
		http.Post(api+id+"/response", "application/json", bytes.NewReader(out))
	}
}
'''

MODULE = {
    "go.mod": "module example.com/hello\n\ngo 1.19\n\nrequire example.com/greet v1.0.0\n",
    "main.go": MAIN,
    "version.go": 'package main\n\nconst VERSION = "one"\n',
    "vendor/modules.txt": "# example.com/greet v1.0.0\n## explicit\nexample.com/greet\n",
    "vendor/example.com/greet/greet.go": 'package greet\n\nfunc Hello(name string) string { return "Hello, " + name + "!" }\n',
}


# What the aws-lambda-go library does for a handler, with the standard library: the context from
# the /next headers, errors posted as {"errorMessage", "errorType"}.
LIFECYCLE = r'''package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

var started = time.Now().UnixNano()

type badInput struct{ reason string }

func (e badInput) Error() string { return e.reason }

func handle(headers http.Header, event map[string]any) (any, error) {
	fmt.Println("event", event)
	if event["fail"] == true {
		return nil, badInput{"bad input"}
	}
	if seconds, ok := event["sleep"].(float64); ok {
		time.Sleep(time.Duration(seconds) * time.Second)
	}
	if event["hog"] == true {
		var hog [][]byte
		for {
			chunk := make([]byte, 8<<20)
			for i := range chunk {
				chunk[i] = 1
			}
			hog = append(hog, chunk)
		}
	}
	deadline, _ := strconv.ParseInt(headers.Get("Lambda-Runtime-Deadline-Ms"), 10, 64)
	return map[string]any{
		"echo":     event,
		"request":  headers.Get("Lambda-Runtime-Aws-Request-Id"),
		"arn":      headers.Get("Lambda-Runtime-Invoked-Function-Arn"),
		"left":     deadline - time.Now().UnixMilli(),
		"function": os.Getenv("AWS_LAMBDA_FUNCTION_NAME"),
		"memory":   os.Getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
		"started":  started,
	}, nil
}

func main() {
	api := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/"
	for {
		resp, err := http.Get(api + "next")
		if err != nil {
			os.Exit(1)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
		var event map[string]any
		json.Unmarshal(body, &event)
		out, err := handle(resp.Header, event)
		if err != nil {
			report, _ := json.Marshal(map[string]string{"errorMessage": err.Error(), "errorType": fmt.Sprintf("%T", err)})
			req, _ := http.NewRequest("POST", api+id+"/error", bytes.NewReader(report))
			req.Header.Set("Lambda-Runtime-Function-Error-Type", "Runtime.Error")
			if r, err := http.DefaultClient.Do(req); err == nil {
				r.Body.Close()
			}
			continue
		}
		payload, _ := json.Marshal(out)
		if r, err := http.Post(api+id+"/response", "application/json", bytes.NewReader(payload)); err == nil {
			r.Body.Close()
		}
	}
}
'''


class GoModules(EngineTestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("go"):
            raise unittest.SkipTest("no Go toolchain on this machine (apt install golang-go)")
        super().setUpClass()

    def setUp(self):
        self.client = self.boto3_client()

    def invoke(self, name, payload):
        response = self.client.invoke(FunctionName=name, Payload=json.dumps(payload), LogType="Tail")
        return response, json.loads(response["Payload"].read()), base64.b64decode(response["LogResult"]).decode()

    def deployed(self, name):
        location = self.client.get_function(FunctionName=name)["Code"]["Location"]
        return zipfile.ZipFile(io.BytesIO(self.download(location)))

    def test_a_module_is_built_on_deploy_and_a_broken_one_keeps_the_previous_code(self):
        created = self.client.create_function(FunctionName="go-hello", Runtime="provided.al2023", Role=ROLE,
                                              Handler="bootstrap", Code={"ZipFile": zip_bytes(MODULE)},
                                              Timeout=30)
        self.assertEqual(created["Runtime"], "provided.al2023")
        response, body, log = self.invoke("go-hello", {"name": "Gopher"})
        self.assertNotIn("FunctionError", response, body)
        self.assertEqual(body, {"message": "Hello, Gopher!", "version": "one"})
        self.assertIn('event {"name": "Gopher"}', log)
        # The package now holds the bootstrap the build made, executable, beside the sources
        # (what Lambda runs, had it been uploaded there).
        files = {info.filename: info for info in self.deployed("go-hello").infolist()}
        self.assertIn("main.go", files)
        self.assertEqual(files["bootstrap"].external_attr >> 16 & 0o111, 0o111)

        broken = dict(MODULE, **{"version.go": 'package main\n\nconst VERSION = missing\n'})
        with self.assertRaises(self.client.exceptions.InvalidParameterValueException) as refused:
            self.client.update_function_code(FunctionName="go-hello", ZipFile=zip_bytes(broken))
        message = str(refused.exception)
        self.assertIn("Build failed (go build: exit status 2):", message)
        self.assertIn("./version.go:3:17: undefined: missing", message)
        _, body, _ = self.invoke("go-hello", {"name": "again"})
        self.assertEqual(body["version"], "one", "the previous code still runs")

        changed = dict(MODULE, **{"version.go": 'package main\n\nconst VERSION = "two"\n'})
        self.client.update_function_code(FunctionName="go-hello", ZipFile=zip_bytes(changed))
        _, body, _ = self.invoke("go-hello", {"name": "again"})
        self.assertEqual(body, {"message": "Hello, again!", "version": "two"})

    def test_context_errors_timeout_memory_cold_then_warm(self):
        module = {"go.mod": "module example.com/lifecycle\n\ngo 1.19\n", "main.go": LIFECYCLE}
        self.client.create_function(FunctionName="go-life", Runtime="provided.al2023", Role=ROLE, Handler="x",
                                    Code={"ZipFile": zip_bytes(module)}, Timeout=10, MemorySize=128)
        response, body, log = self.invoke("go-life", {"key1": "value1"})
        self.assertNotIn("FunctionError", response, body)
        self.assertEqual(body["echo"], {"key1": "value1"})
        self.assertEqual(body["request"], response["ResponseMetadata"]["RequestId"])
        self.assertEqual(body["arn"], "arn:aws:lambda:us-east-1:000000000000:function:go-life")
        self.assertEqual((body["function"], body["memory"]), ("go-life", "128"))
        self.assertTrue(0 < body["left"] <= 10000, body["left"])
        self.assertIn("Init Duration", log)
        _, warm, warm_log = self.invoke("go-life", {})
        self.assertEqual(warm["started"], body["started"], "the same environment, warm")
        self.assertNotIn("Init Duration", warm_log)

        response, body, _ = self.invoke("go-life", {"fail": True})
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertEqual(body, {"errorMessage": "bad input", "errorType": "main.badInput"})

        self.client.update_function_configuration(FunctionName="go-life", Timeout=1)
        self.client.get_waiter("function_updated_v2").wait(FunctionName="go-life")
        response, body, _ = self.invoke("go-life", {"sleep": 5})
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertIn("Task timed out after 1.00 seconds", json.dumps(body))
        self.client.update_function_configuration(FunctionName="go-life", Timeout=30)
        self.client.get_waiter("function_updated_v2").wait(FunctionName="go-life")
        response, body, _ = self.invoke("go-life", {"hog": True})
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertEqual(body["errorType"], "Runtime.OutOfMemory")

    def test_no_network_a_dependency_must_be_vendored(self):
        unvendored = {path: text for path, text in MODULE.items() if not path.startswith("vendor/")}
        with self.assertRaises(self.client.exceptions.InvalidParameterValueException) as refused:
            self.client.create_function(FunctionName="go-unvendored", Runtime="provided.al2023", Role=ROLE,
                                        Handler="bootstrap", Code={"ZipFile": zip_bytes(unvendored)})
        self.assertIn("example.com/greet", str(refused.exception))
        with self.assertRaises(self.client.exceptions.ResourceNotFoundException):
            self.client.get_function(FunctionName="go-unvendored")

    def test_a_bootstrap_of_its_own_is_kept_and_nothing_outside_the_code_is_built(self):
        # A project built elsewhere (aws-lambda-go from the module cache) brings its bootstrap:
        # Deploy runs what it brought, as Lambda does, and does not rebuild it.
        own = dict(MODULE, bootstrap="#!/bin/sh\nset -e\napi=http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime\n"
                                       "while true; do\n"
                                       "  id=$(curl -sSI $api/invocation/next | tr -d '\\r' | "
                                       "sed -n 's/^[Ll]ambda-[Rr]untime-[Aa]ws-[Rr]equest-[Ii]d: //p')\n"
                                       "  curl -sS -d '\"prebuilt\"' $api/invocation/$id/response >/dev/null\n"
                                       "done\n")
        self.client.create_function(FunctionName="go-own", Runtime="provided.al2023", Role=ROLE, Handler="x",
                                    Code={"ZipFile": zip_bytes(own, modes={"bootstrap": 0o755})})
        _, body, _ = self.invoke("go-own", {})
        self.assertEqual(body, "prebuilt")
        # go.mod may not reach a directory outside the code.
        outside = dict(MODULE, **{"go.mod": MODULE["go.mod"] + "replace example.com/greet => ../greet\n"})
        with self.assertRaises(self.client.exceptions.InvalidParameterValueException) as refused:
            self.client.create_function(FunctionName="go-outside", Runtime="provided.al2023", Role=ROLE,
                                        Handler="x", Code={"ZipFile": zip_bytes(outside)})
        self.assertIn("go.mod replaces a module with ../greet, outside the function's code", str(refused.exception))

    def test_the_function_architecture_is_built_for(self):
        self.client.create_function(FunctionName="go-arm", Runtime="provided.al2023", Role=ROLE,
                                    Handler="bootstrap", Code={"ZipFile": zip_bytes(MODULE)},
                                    Architectures=["arm64"])
        binary = self.deployed("go-arm").read("bootstrap")
        # ELF e_machine: 0xB7 is AArch64.
        self.assertEqual(binary[:4], b"\x7fELF")
        self.assertEqual(int.from_bytes(binary[18:20], "little"), 0xB7)


if __name__ == "__main__":
    unittest.main()
