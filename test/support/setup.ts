// Lets React flush updates deterministically inside act() in ink-testing-library tests.
(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true;
