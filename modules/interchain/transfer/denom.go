package transfer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/modules/interchain/packet"
)

// Hop is one step of a denom's trace: the port and client through which
// it arrived.
type Hop struct {
	Port   string
	Client string
}

// Denom is a token as the transfer app sees it: its base denom on its
// home chain and the hops it took to get here, latest first.
type Denom struct {
	Base  string
	Trace []Hop
}

// ParseDenom splits a full path ("transfer/07-tendermint-0/VSYS") into
// hops and base the way ibc-go's ExtractDenomFromPath does: port/id pairs
// whose id is a client or channel identifier, from the left, then the
// rest is the base.
func ParseDenom(path string) Denom {
	parts := strings.Split(path, "/")
	if len(parts) == 1 {
		return Denom{Base: path}
	}
	var d Denom
	for i := 0; i < len(parts); i += 2 {
		if i < len(parts)-1 && len(parts) > 2 && isClientOrChannelID(parts[i+1]) {
			d.Trace = append(d.Trace, Hop{Port: parts[i], Client: parts[i+1]})
			continue
		}
		d.Base = strings.Join(parts[i:], "/")
		break
	}
	return d
}

// isClientOrChannelID is ibc-go's IsValidClientID || IsValidChannelID:
// its IsClientIDFormat ("{type}-{n}") and IsChannelIDFormat
// ("channel-{n}") patterns.
func isClientOrChannelID(id string) bool {
	return clientIDFormat(id) || channelIDFormat(id)
}

var (
	clientIDFormat  = regexp.MustCompile(`^\w+([-]\w+)?-[0-9]{1,20}$`).MatchString
	channelIDFormat = regexp.MustCompile(`^channel-[0-9]{1,20}$`).MatchString
)

// Validate is ibc-go's Denom.Validate: a base, and valid hops.
func (d Denom) Validate() error {
	if strings.TrimSpace(d.Base) == "" {
		return fmt.Errorf("%w: blank base denom", ErrInvalidDenom)
	}
	for _, h := range d.Trace {
		if err := packet.ValidatePort(h.Port); err != nil {
			return fmt.Errorf("%w: hop %w", ErrInvalidDenom, err)
		}
		if err := packet.ValidateClientID(h.Client); err != nil {
			return fmt.Errorf("%w: hop %w", ErrInvalidDenom, err)
		}
	}
	return nil
}

// Path is the full path: "port/client/…/base".
func (d Denom) Path() string {
	var sb strings.Builder
	for _, h := range d.Trace {
		sb.WriteString(h.Port + "/" + h.Client + "/")
	}
	sb.WriteString(d.Base)
	return sb.String()
}

// IsNative reports whether the denom is at home here (no trace).
func (d Denom) IsNative() bool { return len(d.Trace) == 0 }

// HasPrefix reports whether the denom's latest hop is port/client: it
// came in through that client, so sending it back there unwinds it.
func (d Denom) HasPrefix(port, client string) bool {
	return len(d.Trace) > 0 && d.Trace[0].Port == port && d.Trace[0].Client == client
}

// LocalDenom is the token symbol that stands for d on this chain: the
// base for a native denom, else "ibc/" and the upper-case hex of
// sha256(path), ibc-go's IBCDenom (whose hash prints in upper case).
func (d Denom) LocalDenom() string {
	if d.IsNative() {
		return d.Base
	}
	h := sha256.Sum256([]byte(d.Path()))
	return "ibc/" + strings.ToUpper(hex.EncodeToString(h[:]))
}

// EscrowAddress is the account that holds what was sent out through
// client: sha256("ics20-1" ‖ 0x00 ‖ "transfer/" + client), first 20
// bytes — ibc-go's GetEscrowAddress byte for byte.
func EscrowAddress(client string) address.Address {
	return address.Derive(Version, []byte(PortID+"/"+client))
}
