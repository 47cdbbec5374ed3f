// dive-mongo-rs: the replica-set health check and initiation of the dive-kit MongoDB image,
// without starting Node. mongosh costs about 1.3 s of CPU per run on this machine, which
// is why the health check could run only every 20 s; this costs a few milliseconds.
//
// It says exactly what the templates' mongosh one-liners say, so a template can use either:
//
//	dive-mongo-rs status              PRIMARY (exit 0) | NOT_PRIMARY:<state> | NOT_INITIALIZED: <codeName> (exit 1)
//	dive-mongo-rs initiate HOST:PORT  initiates the one-node set rs0 (HOST:PORT its member) unless already
//	                                  initiated; prints 1
//
// It asks the mongod of its own container (127.0.0.1:27017), or the one named by --host NAME
// before the command, as mongosh's --host: a one-shot init container beside mongod uses that.
//
// The driver is the v1 line: the stand-in reports wire version 8, which the v2 driver refuses.
//
// Credentials come from the container's environment, as for mongod:
// MONGO_INITDB_ROOT_USERNAME and MONGO_INITDB_ROOT_PASSWORD (or *_FILE).
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

const notYetInitialized = 94

func main() {
	args := os.Args[1:]
	host := "127.0.0.1"
	if len(args) >= 2 && args[0] == "--host" {
		host, args = args[1], args[2:]
	}
	if len(args) < 1 || (args[0] == "initiate" && len(args) != 2) || (args[0] == "status" && len(args) != 1) {
		fail(2, "usage: dive-mongo-rs [--host NAME] status | dive-mongo-rs [--host NAME] initiate HOST:PORT")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if args[0] == "initiate" {
		// run right after mongod's start: without this the driver's first refused connection
		// costs its minimum heartbeat (0.5 s) before it tries again
		awaitListening(host+":27017", 3*time.Second)
	}
	client, err := connect(host)
	if err != nil {
		fail(1, err.Error())
	}
	defer client.Disconnect(context.Background())
	admin := client.Database("admin")

	switch args[0] {
	case "status":
		var status struct {
			MyState int `bson:"myState"`
		}
		err := admin.RunCommand(ctx, bson.D{{Key: "replSetGetStatus", Value: 1}}).Decode(&status)
		if name, ok := notInitialized(err); ok {
			fail(1, "NOT_INITIALIZED: "+name)
		} else if err != nil {
			fail(1, "ERROR: "+err.Error())
		}
		if status.MyState != 1 {
			fail(1, fmt.Sprintf("NOT_PRIMARY:%d", status.MyState))
		}
		fmt.Println("PRIMARY")
	case "initiate":
		err := admin.RunCommand(ctx, bson.D{{Key: "replSetGetStatus", Value: 1}}).Err()
		if _, ok := notInitialized(err); ok {
			config := bson.D{{Key: "_id", Value: "rs0"}, {Key: "members", Value: bson.A{bson.D{{Key: "_id", Value: 0}, {Key: "host", Value: args[1]}}}}}
			err = admin.RunCommand(ctx, bson.D{{Key: "replSetInitiate", Value: config}}).Err()
		}
		if err != nil {
			fail(1, "ERROR: "+err.Error())
		}
		fmt.Println("1")
	default:
		fail(2, "unknown command "+args[0]+"; expected status or initiate")
	}
}

// awaitListening returns once addr accepts a TCP connection, or after within (connect then says why).
func awaitListening(addr string, within time.Duration) {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// connect reaches the mongod directly (no replica-set discovery: the node may not be initiated yet).
func connect(host string) (*mongo.Client, error) {
	user, err := fromEnv("MONGO_INITDB_ROOT_USERNAME")
	if err != nil {
		return nil, err
	}
	password, err := fromEnv("MONGO_INITDB_ROOT_PASSWORD")
	if err != nil {
		return nil, err
	}
	opts := options.Client().
		ApplyURI("mongodb://" + host + ":27017/?directConnection=true").
		SetAuth(options.Credential{Username: user, Password: password, AuthSource: "admin"}).
		SetConnectTimeout(3 * time.Second).
		SetServerSelectionTimeout(3 * time.Second).
		SetAppName("dive-mongo-rs")
	return mongo.Connect(context.Background(), opts)
}

// fromEnv reads NAME, or the file named by NAME_FILE, as the official image's entrypoint does.
func fromEnv(name string) (string, error) {
	if v := os.Getenv(name); v != "" {
		return v, nil
	}
	if f := os.Getenv(name + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return "", fmt.Errorf("%s is not set (nor %s_FILE)", name, name)
}

func notInitialized(err error) (string, bool) {
	var ce mongo.CommandError
	if errors.As(err, &ce) && ce.Code == notYetInitialized {
		return ce.Name, true
	}
	return "", false
}

func fail(code int, message string) {
	fmt.Println(message)
	os.Exit(code)
}
