module witc.example/producers/go-app

go 1.24
