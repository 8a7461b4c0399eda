import json

print('Loading function')


def lambda_handler(event, context):
    print("Received event: " + json.dumps(event, indent=2))
    print("value1 = " + str(event.get('key1')))
    print("value2 = " + str(event.get('key2')))
    print("value3 = " + str(event.get('key3')))
    return event.get('key1')  # Echo back the first key value
