module github.com/witc-dev/witc

go 1.26
