// Lets React flush updates deterministically inside act() in ink-testing-library tests.
(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true;

// No packet leaves loopback: names are not looked up and addresses off loopback are not dialled (see the guard).
await import(new URL('./loopback-only.mjs', import.meta.url).href);
