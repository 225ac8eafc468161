// Command httpload is the bounded load generator of scripts/http-bench.sh:
// it sends GET requests to one URL from C concurrent clients for a fixed
// number of requests or a fixed duration, whichever ends first, and
// prints the requests per second and the latency percentiles as one JSON
// line. Only loopback URLs are accepted.
//
//	go run ./internal/httpload -url http://127.0.0.1:8080/ -c 8 -n 2000 -d 10s
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

type result struct {
	URL         string  `json:"url"`
	Clients     int     `json:"clients"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	Seconds     float64 `json:"seconds"`
	PerSecond   float64 `json:"rps"`
	P50, P99    float64 // milliseconds
	MaxMillis   float64 `json:"max_ms"`
	StatusCodes map[int]int
}

func main() {
	target := flag.String("url", "", "the URL to GET (loopback only)")
	clients := flag.Int("c", 1, "concurrent clients")
	n := flag.Int("n", 1000, "requests in all (at most)")
	d := flag.Duration("d", 10*time.Second, "duration (at most)")
	warm := flag.Int("warmup", 20, "requests sent first and not counted")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil || !isLoopback(u.Hostname()) {
		fmt.Fprintln(os.Stderr, "httpload: -url must be an http URL on a loopback address")
		os.Exit(2)
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}
	get := func() (int, error) {
		resp, err := client.Get(*target)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}
	for range *warm {
		get()
	}
	var next atomic.Int64
	deadline := time.Now().Add(*d)
	var mu sync.Mutex
	var lat []time.Duration
	res := result{URL: *target, Clients: *clients, StatusCodes: map[int]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(*n) && time.Now().Before(deadline) {
				t0 := time.Now()
				code, err := get()
				el := time.Since(t0)
				mu.Lock()
				if err != nil {
					res.Errors++
				} else {
					lat = append(lat, el)
					res.StatusCodes[code]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	res.Requests = len(lat)
	res.Seconds = elapsed.Seconds()
	res.PerSecond = float64(len(lat)) / elapsed.Seconds()
	if len(lat) > 0 {
		pct := func(p float64) float64 {
			return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
		}
		res.P50, res.P99 = pct(0.50), pct(0.99)
		res.MaxMillis = float64(lat[len(lat)-1].Microseconds()) / 1000
	}
	json.NewEncoder(os.Stdout).Encode(res)
}

func isLoopback(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
