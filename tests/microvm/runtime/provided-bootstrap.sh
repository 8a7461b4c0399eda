#!/bin/sh
# A custom ("provided") runtime for the microVM backend tests: busybox sh and wget only.
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation"
while true; do
    wget -q -S -O /tmp/event "$api/next" 2>/tmp/headers
    id=$(sed -n 's/.*Lambda-Runtime-Aws-Request-Id: *\([^[:space:]]*\).*/\1/p' /tmp/headers | tr -d '\r')
    echo "provided runtime got $(cat /tmp/event)"
    wget -q -O /dev/null --post-data "{\"shell\":$(cat /tmp/event)}" "$api/$id/response"
done
