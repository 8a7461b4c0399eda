package lambdesk.runtime;

import org.crac.CheckpointException;
import org.crac.Core;
import org.crac.RestoreException;

import java.io.IOException;

// SnapStart: the function's org.crac resources are told before the snapshot (in the reverse
// order of their registration) and after each restore (in that order). The snapshot is taken
// while restore/next is pending; it returns in every environment restored from it. A failed
// hook ends the environment with Runtime.BeforeCheckpointError / Runtime.AfterRestoreError.
final class SnapshotHooks {
    private SnapshotHooks() {
    }

    static void checkpointAndRestore(RuntimeApi api) throws IOException {
        try {
            Core.getGlobalContext().beforeCheckpoint(null);
        } catch (CheckpointException | Error e) {
            Bootstrap.reportAndExit(api, "init/error", ErrorDocument.of(e, "Runtime.BeforeCheckpointError"), 64);
        }
        System.gc(); // a smaller heap makes a smaller snapshot
        RuntimeApi.Answer answer = api.get("restore/next");
        if (answer.status != 200) {
            System.err.println("Runtime API answered " + answer.status + " to restore/next");
            System.exit(1);
        }
        try {
            Core.getGlobalContext().afterRestore(null);
        } catch (RestoreException | Error e) {
            Bootstrap.reportAndExit(api, "restore/error", ErrorDocument.of(e, "Runtime.AfterRestoreError"), 64);
        }
    }
}
