// Command etcd is etcd's own server for the test bed, bound to loopback.
//
// kube-api-test starts etcd with listen URLs on 0.0.0.0; the tests' rule is that every server they
// start binds to 127.0.0.1, so this entry point rewrites those addresses before handing the command
// line to etcd's own main.
package main

import (
	"os"
	"strings"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	args := make([]string, len(os.Args))
	for i, arg := range os.Args {
		args[i] = strings.ReplaceAll(arg, "://0.0.0.0:", "://127.0.0.1:")
	}
	etcdmain.Main(args)
}
