// Messages whose body is not JSON are reported as failures so SQS retries only those.
async function processMessage(record) {
    const body = JSON.parse(record.body);
    console.log(`message ${record.messageId}:`, JSON.stringify(body));
    return body;
}

export const handler = async (event) => {
    const batchItemFailures = [];
    for (const record of event.Records ?? []) {
        try {
            await processMessage(record);
        } catch (err) {
            console.error(`message ${record.messageId} failed: ${err.message}`);
            batchItemFailures.push({ itemIdentifier: record.messageId });
        }
    }
    return { batchItemFailures };
};
