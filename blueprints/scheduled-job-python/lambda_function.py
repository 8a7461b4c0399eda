import os
import shutil
from datetime import datetime, timezone


def lambda_handler(event, context):
    fired = event.get('time', datetime.now(timezone.utc).isoformat())
    rules = ', '.join(event.get('resources', [])) or 'manual run'
    usage = shutil.disk_usage('/tmp')
    print('Scheduled run at {} from {}'.format(fired, rules))
    print('/tmp free: {} MB'.format(usage.free // (1024 * 1024)))
    return {
        'firedAt': fired,
        'function': os.environ.get('AWS_LAMBDA_FUNCTION_NAME'),
        'remainingMs': context.get_remaining_time_in_millis(),
    }
