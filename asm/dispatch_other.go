//go:build purego || !(amd64 || arm64)

package asm

func platformImpls() ([]string, string) { return nil, "" }
