// A Lambda function in Go with the standard library only: the Runtime API's loop (next event,
// then its response or error), as AWS's aws-lambda-go runs a handler. Deploy builds this module
// into ./bootstrap (GOOS=linux, the function's architecture), which provided.al2023 starts.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

type event map[string]any

// handler logs the event and returns the value of its first key.
func handler(requestID string, in event) (any, error) {
	fmt.Printf("Received event %s: %v\n", requestID, in)
	for _, key := range []string{"key1", "key2", "key3"} {
		fmt.Printf("%s = %v\n", key, in[key])
	}
	return in["key1"], nil // Echo back the first key value
}

func main() {
	api := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/"
	for {
		resp, err := http.Get(api + "invocation/next")
		if err != nil {
			fmt.Fprintln(os.Stderr, "Runtime API:", err)
			os.Exit(1)
		}
		requestID := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()

		var in event
		var out any
		if err = json.Unmarshal(body, &in); err == nil {
			out, err = handler(requestID, in)
		}
		if err != nil {
			report, _ := json.Marshal(map[string]string{
				"errorMessage": err.Error(),
				"errorType":    fmt.Sprintf("%T", err),
			})
			post(api+"invocation/"+requestID+"/error", report)
			continue
		}
		payload, _ := json.Marshal(out)
		post(api+"invocation/"+requestID+"/response", payload)
	}
}

func post(url string, body []byte) {
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		fmt.Fprintln(os.Stderr, "Runtime API:", err)
		os.Exit(1)
	}
	resp.Body.Close()
}
