package dive.verify.probe;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** PING after AUTH, from the host through the published port. */
public final class RedisProbe {
    private RedisProbe() {}

    public static Evidence ping(String host, int port, String password) {
        String what = "Redis PING with AUTH at " + host + ":" + port;
        var config = DefaultJedisClientConfig.builder().password(password).connectionTimeoutMillis(3000).socketTimeoutMillis(3000).build();
        try (Jedis jedis = new Jedis(new HostAndPort(host, port), config)) {
            String reply = jedis.ping();
            return "PONG".equals(reply) ? Evidence.ok(what, reply) : Evidence.failed(what, "replied " + reply);
        } catch (Exception e) {
            return Evidence.failed(what, Evidence.message(e));
        }
    }
}
