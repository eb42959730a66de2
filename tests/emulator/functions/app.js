// The test function for Node's runtime interface client: the same actions as app.py.
const fs = require("fs");
const os = require("os");
const { spawn } = require("child_process");

const marker = process.env.FAIL_INIT_ONCE;
if (marker && !fs.existsSync(marker)) {
  fs.writeFileSync(marker, "failed once\n");
  throw new Error("init failed on purpose");
}

const sleep = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

exports.handler = async (event, context) => {
  const action = (event && event.action) || "echo";
  switch (action) {
    case "echo":
      return event;
    case "fail":
      throw new Error("boom");
    case "sleep":
      await sleep(event.seconds);
      return { slept: event.seconds, pid: process.pid };
    case "exit":
      process.exit(event.code === undefined ? 1 : event.code);
    case "kill":
      process.kill(process.pid, "SIGKILL");
      return null;
    case "big":
      return "x".repeat(event.size);
    case "print":
      console.log(event.text || "hello from the handler");
      return { printed: true };
    case "pid":
      return { pid: process.pid, pgid: null };
    case "spawn": {
      const child = spawn("sleep", ["300"], { stdio: "ignore" });
      return { pid: process.pid, child: child.pid };
    }
    case "context": {
      const cc = context.clientContext;
      return {
        request_id: context.awsRequestId,
        arn: context.invokedFunctionArn,
        remaining_ms: context.getRemainingTimeInMillis(),
        custom: cc ? cc.Custom || cc.custom || null : null,
        cc_env: cc ? cc.env || null : null,
      };
    }
    case "env": {
      const out = {};
      for (const name of event.names) out[name] = process.env[name] === undefined ? null : process.env[name];
      return out;
    }
    case "record": {
      const start = Date.now() / 1000;
      await sleep(event.seconds);
      return { n: event.n, start, end: Date.now() / 1000, pid: process.pid };
    }
    case "touch":
      await sleep(event.seconds || 0);
      // Renamed into place: the test polls for the file and must not read it half-written.
      fs.writeFileSync(event.path + ".part", JSON.stringify({ done: true }));
      fs.renameSync(event.path + ".part", event.path);
      return { touched: event.path };
    default:
      throw new Error(`unknown action ${action}`);
  }
};
