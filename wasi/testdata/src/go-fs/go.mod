module gofs

go 1.26
