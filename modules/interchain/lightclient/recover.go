package lightclient

import (
	"fmt"
	"time"
)

// Recover is ibc-go's recovery of a frozen or expired client (subject,
// whose consensus state at its latest height is subjectLatest) from a
// newer, active client of the same chain (substitute, likewise with
// substituteLatest): it returns
// the subject unfrozen, at the substitute's latest height and with its
// trusting period; the caller copies substituteLatest into the subject's
// store at that height. Whether a recovery may happen at all (the
// operators' vote) is the module's decision, not this package's.
//
// The two must match in every parameter but the heights, the frozen
// height and the trusting period (ibc-go's IsMatchingClientState; vsys
// also keeps the chain id, which ibc-go lets change with a revision), the
// subject must not be active, the substitute must be active at now and
// ahead of the subject (02-client's RecoverClient), else ErrSubstitute.
func Recover(subject ClientState, subjectLatest ConsensusState, substitute ClientState, substituteLatest ConsensusState, now time.Time) (ClientState, error) {
	if st := ClientStatus(subject, subjectLatest, now); st == Active {
		return subject, fmt.Errorf("%w: the subject client is active; only a frozen or expired client is recovered", ErrSubstitute)
	}
	if !matching(subject, substitute) {
		return subject, fmt.Errorf("%w: parameters differ from the subject's (subject %+v, substitute %+v)", ErrSubstitute, subject, substitute)
	}
	if st := ClientStatus(substitute, substituteLatest, now); st != Active {
		return subject, fmt.Errorf("%w: substitute is %s", ErrSubstitute, st)
	}
	if substitute.LatestHeight <= subject.LatestHeight {
		return subject, fmt.Errorf("%w: substitute height %d is not above the subject's %d", ErrSubstitute, substitute.LatestHeight, subject.LatestHeight)
	}
	subject.FrozenHeight = 0
	subject.LatestHeight = substitute.LatestHeight
	subject.TrustingPeriod = substitute.TrustingPeriod
	return subject, nil
}

// matching reports whether two client states agree on everything that
// a recovery may not change.
func matching(a, b ClientState) bool {
	for _, c := range []*ClientState{&a, &b} {
		c.LatestHeight, c.FrozenHeight, c.TrustingPeriod = 0, 0, 0
	}
	return a == b
}
