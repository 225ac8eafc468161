// Package wac parses WAC composition documents.
package wac
