//go:build race

package limits

// raceEnabled: the race detector's runtime maps large shadow memory at
// start, which a memory ceiling for a small child does not leave room for.
const raceEnabled = true
