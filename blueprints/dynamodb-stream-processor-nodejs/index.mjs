export const handler = async (event) => {
    const counts = { INSERT: 0, MODIFY: 0, REMOVE: 0 };
    for (const record of event.Records ?? []) {
        counts[record.eventName] = (counts[record.eventName] ?? 0) + 1;
        console.log(record.eventID, record.eventName, JSON.stringify(record.dynamodb?.Keys));
    }
    return `Successfully processed ${event.Records?.length ?? 0} records: ${JSON.stringify(counts)}`;
};
