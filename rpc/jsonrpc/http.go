package jsonrpc

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
)

// Serving over HTTP: one POST body is read within the body limit and the
// in-flight budget, handled, and answered.

// readChunk is the first buffer of a body, and the least it grows by.
const readChunk = 64 << 10

// errBusy is readLimited's error when the in-flight budget is spent.
var errBusy = errors.New("server busy")

// ServeHTTP serves one POST body: a request or a batch. Other HTTP methods
// get 405.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, appendResponse(nil, nil, s.encodeError(
			invalidRequest("HTTP method "+r.Method+" is not allowed, use POST")), true))
		return
	}
	body, release, err := s.readBody(w, r)
	if err != nil {
		status, e := http.StatusBadRequest, invalidRequest("cannot read the body: "+err.Error())
		var ne net.Error
		switch {
		case errors.Is(err, errBusy):
			status, e = http.StatusServiceUnavailable, s.busyError()
			w.Header().Set("Retry-After", "1")
		case errors.As(err, new(*http.MaxBytesError)):
			status = http.StatusRequestEntityTooLarge
			e = invalidRequest("body exceeds the limit of " + strconv.FormatInt(s.maxBodyBytes(), 10) + " bytes")
		case errors.As(err, &ne) && ne.Timeout():
			status = http.StatusRequestTimeout
			e = invalidRequest("the body did not arrive within the server's read timeout")
		}
		writeJSON(w, status, appendResponse(nil, nil, s.encodeError(e), true))
		return
	}
	resp := s.handle(r.Context(), body)
	release()
	if resp == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) busyError() *Error {
	return &Error{Code: CodeServerBusy, Message: "Server busy: the bodies being served hold the limit of " +
		strconv.FormatInt(s.maxInFlightBytes(), 10) + " bytes; retry later"}
}

// readBody reads the whole body, up to the limit; release gives its
// memory back to the in-flight budget.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (body []byte, release func(), err error) {
	limit := s.maxBodyBytes()
	if r.ContentLength > limit {
		return nil, nil, &http.MaxBytesError{Limit: limit}
	}
	return s.readLimited(http.MaxBytesReader(w, r.Body, limit), limit, r.ContentLength)
}

// readLimited reads rd to its end, up to limit bytes. The buffer grows as
// bytes arrive (to hint, the declared length, at most, while that holds),
// and each growth is reserved from the in-flight budget first, so a peer
// that declares a large body and stalls holds only what it sent. release
// gives the reservation back; on error readLimited has already done so.
func (s *Server) readLimited(rd io.Reader, limit, hint int64) (buf []byte, release func(), err error) {
	var held int64
	release = func() {
		s.inFlight.Add(-held)
		held = 0
	}
	defer func() {
		if err != nil {
			release()
			buf = nil
		}
	}()
	var probe [1]byte
	for {
		if len(buf) == cap(buf) {
			extra := 0 // a probed byte to keep
			if n := int64(len(buf)); n == limit || (hint > 0 && n == hint) {
				// Full at the limit or at the declared length: grow
				// only if more comes.
				k, err := io.ReadFull(rd, probe[:])
				if k == 0 {
					if errors.Is(err, io.EOF) {
						return buf, release, nil
					}
					return buf, release, err
				}
				if n == limit {
					return buf, release, &http.MaxBytesError{Limit: limit}
				}
				hint, extra = 0, 1 // longer than declared
			}
			grow := min(int64(max(cap(buf), readChunk)), limit-int64(cap(buf)))
			if hint > 0 {
				grow = min(grow, hint-int64(cap(buf)))
			}
			if s.inFlight.Add(grow) > s.maxInFlightBytes() {
				s.inFlight.Add(-grow)
				return buf, release, errBusy
			}
			held += grow
			next := make([]byte, len(buf), cap(buf)+int(grow))
			copy(next, buf)
			buf = append(next, probe[:extra]...)
		}
		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, release, nil
		}
		if err != nil {
			return buf, release, err
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
