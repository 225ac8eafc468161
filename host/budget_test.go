package host

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/witc-dev/witc/component"
)

// coreModule is a core module defining tables tables and memories
// memories of one element or page.
func coreModuleWith(tables, memories int) []byte {
	var secs [][]byte
	if tables > 0 {
		t := []byte{4, byte(tables)}
		for range tables {
			t = append(t, 0x70, 0x00, 0x01)
		}
		secs = append(secs, t)
	}
	if memories > 0 {
		m := []byte{5, byte(memories)}
		for range memories {
			m = append(m, 0x00, 0x01)
		}
		secs = append(secs, m)
	}
	return module(secs...)
}

// leafComponent instantiates a module defining a table and a memory.
func leafComponent() *component.Component {
	return &component.Component{Sections: []component.Section{
		&component.ModuleSection{Bytes: coreModuleWith(1, 1)},
		&component.CoreInstanceSection{Instances: []component.CoreInstance{{Instantiate: true, Module: 0}}},
	}}
}

// bomb is a component nesting levels components, each instantiating the
// one below twice, around leafComponent: 2^levels core instances, and
// 2^(levels+1)-2 component instances.
func bomb(levels int) []byte {
	c := leafComponent()
	for range levels {
		c = &component.Component{Sections: []component.Section{
			&component.ComponentSection{Component: c},
			&component.InstanceSection{Instances: []component.Instance{{Instantiate: true}, {Instantiate: true}}},
		}}
	}
	return component.Encode(c)
}

// TestInstantiationBomb: a component that would create 2^30 core instances
// is refused at once, before anything runs, with the limit in the error;
// one within the limits instantiates.
func TestInstantiationBomb(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(ctx, Options{})
	defer rt.Close(ctx)
	b := bomb(30)
	t.Logf("the bomb: %d bytes", len(b))
	start := time.Now()
	_, err := rt.Instantiate(ctx, NewLinker(), b)
	took := time.Since(start)
	const want = "the component creates more than 10000 instances (core and component instances together), the limit of one instantiation"
	var le *LimitError
	if !errors.As(err, &le) || err.Error() != want || le.What != "instances" || le.Limit != DefaultMaxInstances {
		t.Fatalf("the bomb: %v, want %q", err, want)
	}
	if took > time.Second {
		t.Errorf("the bomb was refused after %v", took)
	}
	// 2^12 core instances and 2^13-2 component instances pass 10 000;
	// 2^11 and 2^12-2 do not.
	if _, err := rt.Instantiate(ctx, NewLinker(), bomb(12)); err == nil || err.Error() != want {
		t.Errorf("12 levels: %v, want %q", err, want)
	}
	if _, err := rt.Instantiate(ctx, NewLinker(), bomb(11)); err != nil {
		t.Errorf("11 levels (6142 instances, 2048 tables and memories): %v", err)
	}
}

// TestTableAndMemoryCounts: the tables and memories that one
// instantiation's core instances define are bounded too.
func TestTableAndMemoryCounts(t *testing.T) {
	ctx := context.Background()
	comp := func(tables, memories, instances int) []byte {
		c := &component.Component{Sections: []component.Section{&component.ModuleSection{Bytes: coreModuleWith(tables, memories)}}}
		is := &component.CoreInstanceSection{}
		for range instances {
			is.Instances = append(is.Instances, component.CoreInstance{Instantiate: true})
		}
		c.Sections = append(c.Sections, is)
		return component.Encode(c)
	}
	for _, tc := range []struct {
		b    []byte
		want string
	}{
		{comp(3, 0, 7), "the component's core instances define more than 20 tables, the limit of one instantiation"},
		{comp(0, 1, 11), "the component's core instances define more than 10 memories, the limit of one instantiation"},
		{comp(0, 0, 21), "the component creates more than 20 instances (core and component instances together), the limit of one instantiation"},
		{comp(2, 1, 10), ""},
	} {
		rt := NewRuntime(ctx, Options{MaxInstances: 20, MaxTables: 20, MaxMemories: 10})
		_, err := rt.Instantiate(ctx, NewLinker(), tc.b)
		if got := errString(err); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
		rt.Close(ctx)
	}
}

// TestInstanceBudget: what the structure of a component does not show — a
// component it instantiates that an instantiation gives it — is counted as
// it is instantiated. Here the plan sees 3 instances (twice, and the two
// it makes of its import), the run 5 (each of those has a core instance).
func TestInstanceBudget(t *testing.T) {
	ctx := context.Background()
	twice := &component.Component{Sections: []component.Section{
		&component.ImportSection{Imports: []component.Import{{Name: component.Name{Name: "c"}, Type: component.Extern{Kind: component.ExternComponent, Index: 0}}}},
		&component.InstanceSection{Instances: []component.Instance{{Instantiate: true}, {Instantiate: true}}},
	}}
	twice.Sections = append([]component.Section{&component.TypeSection{Types: []component.Type{&component.ComponentType{}}}}, twice.Sections...)
	b := component.Encode(&component.Component{Sections: []component.Section{
		&component.ComponentSection{Component: leafComponent()},
		&component.ComponentSection{Component: twice},
		&component.InstanceSection{Instances: []component.Instance{{Instantiate: true, Component: 1,
			Args: []component.InstantiateArg{{Name: "c", Item: component.SortIdx{Sort: component.SortComponent, Index: 0}}}}}},
	}})
	rt := NewRuntime(ctx, Options{MaxInstances: 4})
	defer rt.Close(ctx)
	const want = "instance 0: instance 1: core instance 0: the component creates more than 4 instances (core and component instances together), the limit of one instantiation"
	if _, err := rt.Instantiate(ctx, NewLinker(), b); errString(err) != want {
		t.Errorf("got %v, want %q", err, want)
	}
	rt5 := NewRuntime(ctx, Options{MaxInstances: 5})
	defer rt5.Close(ctx)
	if _, err := rt5.Instantiate(ctx, NewLinker(), b); err != nil {
		t.Errorf("with 5 instances at most: %v", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
