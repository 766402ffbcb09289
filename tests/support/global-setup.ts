// Runs once before the suite: shared fixtures are prepared here so that test files do not each
// mint their own keys. Time zone is deliberately left alone: code must compute Europe/Brussels
// calendar days whatever the machine's zone is.
export default async function setup(): Promise<void> {}
