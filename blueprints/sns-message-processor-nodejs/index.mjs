// SNS invokes the function asynchronously with one notification per record. Throwing makes
// Lambda retry the event (twice by default), so only a message that can never succeed should be
// logged and skipped rather than thrown.
function parse(message) {
    try {
        return JSON.parse(message);
    } catch {
        return message;
    }
}

export const handler = async (event) => {
    const messages = [];
    for (const record of event.Records ?? []) {
        const sns = record.Sns ?? {};
        const attributes = Object.fromEntries(
            Object.entries(sns.MessageAttributes ?? {}).map(([name, a]) => [name, a.Value]));
        const message = parse(sns.Message ?? '');
        console.log(`${sns.TopicArn}: ${sns.Subject ?? '(no subject)'}`, JSON.stringify(message),
                    JSON.stringify(attributes));
        messages.push({ messageId: sns.MessageId, subject: sns.Subject ?? null, message, attributes });
    }
    return { received: messages.length, messages };
};
