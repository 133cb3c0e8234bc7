//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package testkit

import (
	"fmt"
	"net"
)

// reservePort falls back to the kernel's choice where file locks are not
// available: a port free now, with the window FreePort describes.
func reservePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// reserveRange falls back to a range above a port the kernel chose, each
// port free now.
func reserveRange(n int) (int, error) {
	for range 50 {
		base, err := reservePort()
		if err != nil {
			return 0, err
		}
		ok := base+n <= 65535
		for p := base; p < base+n && ok; p++ {
			ok = bindable(p) == nil
		}
		if ok {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no %d free consecutive ports", n)
}
