// The side panels (a case's details, the alert emails): one open at a time. Opening one
// closes the others without moving focus back to what opened them.

export function createPanels() {
  const panels = new Map(); // name → close({restoreFocus})
  return {
    register(name, close) {
      panels.set(name, close);
    },
    /** `name` is about to open: close every other panel. */
    opening(name) {
      for (const [other, close] of panels) if (other !== name) close({ restoreFocus: false });
    },
    closeAll() {
      for (const close of panels.values()) close({ restoreFocus: false });
    },
  };
}
