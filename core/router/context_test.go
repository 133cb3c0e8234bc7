package router_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vsys/vsys/core/gas"
	"github.com/vsys/vsys/core/router"
	"github.com/vsys/vsys/internal/testkit"
	"github.com/vsys/vsys/modules/native"
)

// TestAtomic: a step run with Context.Atomic keeps its writes and events
// only if it succeeds, and the call's own writes before it stay either
// way; the step sees those writes, and runs as the same contract.
func TestAtomic(t *testing.T) {
	type args struct{ FailInner bool }
	c := native.New("atomic")
	native.EventType[PutEvent](c, "put")
	native.Method(c, "run", "", false, func(ctx *router.Context, a args) (native.Empty, error) {
		if err := ctx.Store().Set([]byte("outer"), []byte("1")); err != nil {
			return native.Empty{}, err
		}
		err := ctx.Atomic(func(sub *router.Context) error {
			v, err := sub.Store().Get([]byte("outer"))
			require.NoError(t, err)
			require.Equal(t, []byte("1"), v, "the step sees the call's writes")
			require.Equal(t, ctx.Self, sub.Self)
			if err := sub.Store().Set([]byte("inner"), []byte("2")); err != nil {
				return err
			}
			if err := native.Emit(sub, "put", PutEvent{Key: "inner"}); err != nil {
				return err
			}
			if a.FailInner {
				return errBoom
			}
			return nil
		})
		if a.FailInner {
			require.ErrorIs(t, err, errBoom)
		} else {
			require.NoError(t, err)
		}
		return native.Empty{}, nil
	})
	for _, fail := range []bool{false, true} {
		store := testkit.OpenStore(t)
		r := router.New(gas.DefaultCosts(), testLims)
		r.Register("atomic", probeAt, c)
		env := &router.Env{Origin: alice, Gas: gas.NewMeter(1_000_000)}
		kv := store.Working()
		_, err := r.Call(env, kv, alice, probeAt, "run", testkit.Marshal(t, args{FailInner: fail}), nil)
		require.NoError(t, err)
		outer, err := router.StoreOf(kv, probeAt).Get([]byte("outer"))
		require.NoError(t, err)
		require.Equal(t, []byte("1"), outer)
		inner, err := router.StoreOf(kv, probeAt).Get([]byte("inner"))
		require.NoError(t, err)
		if fail {
			require.Nil(t, inner, "the failed step's write is gone")
			require.Empty(t, env.Events, "and its event")
		} else {
			require.Equal(t, []byte("2"), inner)
			require.Len(t, env.Events, 1)
		}
	}
}
