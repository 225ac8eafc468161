package host

import (
	"github.com/tetratelabs/wazero/api"
	"github.com/witc-dev/witc/internal/leb128"
)

// A bundle of core exports (`(core instance (export "a" (func 1)) ...)`)
// is not a module, but core modules import from modules. A shim module
// imports each item of the bundle from where it lives and exports it under
// the bundle's name; wazero instantiates it like any module.

type shimImport struct {
	module string // "m0", "m1", ...: resolved to the source module
	name   string // the item's export name in the source
	kind   byte   // 0 func, 1 table, 2 memory, 3 global
	params []api.ValueType
	result []api.ValueType
	global api.ValueType
	mut    bool
	as     string // the name in the bundle
}

func appendName(b []byte, s string) []byte {
	b = leb128.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func appendSection(b []byte, id byte, body []byte) []byte {
	b = append(b, id)
	b = leb128.AppendUint32(b, uint32(len(body)))
	return append(b, body...)
}

// shimModule encodes a module that imports and re-exports the items.
func shimModule(items []shimImport) []byte {
	b := []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}
	var types []byte
	ntypes := uint32(0)
	typeIdx := make([]uint32, len(items))
	for i, it := range items {
		if it.kind != 0 {
			continue
		}
		types = append(types, 0x60)
		types = leb128.AppendUint32(types, uint32(len(it.params)))
		types = append(types, it.params...)
		types = leb128.AppendUint32(types, uint32(len(it.result)))
		types = append(types, it.result...)
		typeIdx[i] = ntypes
		ntypes++
	}
	if ntypes > 0 {
		b = appendSection(b, 1, append(leb128.AppendUint32(nil, ntypes), types...))
	}
	imps := leb128.AppendUint32(nil, uint32(len(items)))
	var counts [4]uint32
	index := make([]uint32, len(items))
	for i, it := range items {
		imps = appendName(imps, it.module)
		imps = appendName(imps, it.name)
		imps = append(imps, it.kind)
		switch it.kind {
		case 0:
			imps = leb128.AppendUint32(imps, typeIdx[i])
		case 1:
			imps = append(imps, 0x70, 0x00, 0x00) // funcref, min 0
		case 2:
			imps = append(imps, 0x00, 0x00) // min 0
		case 3:
			imps = append(imps, it.global)
			if it.mut {
				imps = append(imps, 1)
			} else {
				imps = append(imps, 0)
			}
		}
		index[i] = counts[it.kind]
		counts[it.kind]++
	}
	b = appendSection(b, 2, imps)
	exps := leb128.AppendUint32(nil, uint32(len(items)))
	for i, it := range items {
		exps = appendName(exps, it.as)
		exps = append(exps, it.kind)
		exps = leb128.AppendUint32(exps, index[i])
	}
	return appendSection(b, 7, exps)
}
