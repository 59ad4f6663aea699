// Placeholder until the dispatcher lands.
console.log('tokscope');
