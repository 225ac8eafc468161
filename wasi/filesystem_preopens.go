package wasi

import (
	"os"

	"github.com/witc-dev/witc/host"
)

// wasi:filesystem/preopens: the directories of Config.Dirs, each opened
// once as an os.Root when the interfaces are registered.

// Dir grants the guest access to a host directory, seen at GuestPath.
type Dir struct {
	HostPath  string
	GuestPath string
	ReadOnly  bool
}

type preopen struct {
	desc  *descriptor
	guest string
}

func (s *state) registerPreopens(r *registrar) {
	r.alias("descriptor", s.descT)
	fn0(r, "get-directories", s.getDirectories)
}

func (s *state) getDirectories() (list[pair[host.Resource, string]], error) {
	out := list[pair[host.Resource, string]]{}
	for _, p := range s.preopens {
		out = append(out, pair[host.Resource, string]{own(s.descT, s.descs.add(p.desc)), p.guest})
	}
	return out, nil
}

// openDirs opens the granted directories.
func openDirs(dirs []Dir) ([]preopen, error) {
	var out []preopen
	for _, d := range dirs {
		root, err := os.OpenRoot(d.HostPath)
		if err != nil {
			return nil, err
		}
		g := d.GuestPath
		if g == "" {
			g = d.HostPath
		}
		out = append(out, preopen{desc: &descriptor{root: root, rel: ".", dir: true, readOnly: d.ReadOnly}, guest: g})
	}
	return out, nil
}
