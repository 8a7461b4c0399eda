function handler () {
  EVENT_DATA=$1
  echo "Received: $EVENT_DATA" 1>&2
  echo "{\"statusCode\": 200, \"body\": \"Hello from a bash custom runtime\", \"bytes\": ${#EVENT_DATA}}"
}
