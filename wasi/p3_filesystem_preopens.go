package wasi

import "github.com/witc-dev/witc/host"

// wasi:filesystem 0.3's preopens: the directories of Config.Dirs, the
// same ones 0.2's get-directories hands out (one os.Root each, opened
// once by New), as descriptors of 0.3's resource type descT.

func (s *state) registerPreopens3(r *registrar, descT *host.ResourceType) {
	r.alias("descriptor", descT)
	fn0(r, "get-directories", func() (list[pair[host.Resource, string]], error) {
		dirs, err := s.getDirectories()
		for i := range dirs {
			dirs[i].a.Type = descT
		}
		return dirs, err
	})
}
