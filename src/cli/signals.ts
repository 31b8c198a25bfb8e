/**
 * Ctrl-C and SIGTERM end a run at once with the shell's codes (130, 143), after putting the
 * terminal back as it was (the spinner hides the cursor). Without a handler of our own, the
 * spinner's exit hook sees other listeners and leaves the signal to them, and the run goes on.
 */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

const cleanups = new Set<() => void>();

/** Runs `cleanup` (synchronous: the process ends right after) if a signal ends the run; returns its removal. */
export function onStop(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export function exitOnSignals(): void {
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.once(signal, () => {
      for (const cleanup of cleanups) {
        try {
          cleanup();
        } catch {
          // The run ends anyway; one failed cleanup must not keep the others from running.
        }
      }
      process.exit(code);
    });
  }
}
