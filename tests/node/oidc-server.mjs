// A real OpenID Connect provider on loopback for Afterword's browser tests.
// Usage: node oidc-server.mjs <port> <redirect_uri>
// Prints "ready <issuer>" once it listens. Any login name and password are
// accepted on its development login page; the account's claims derive from
// the login name.
import Provider from "oidc-provider";

const [port, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const configuration = {
  clients: [
    {
      client_id: "afterword-tests",
      client_secret: "afterword-tests-secret",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "preferred_username"],
  },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: `${id}@example.test`,
          email_verified: true,
          name: `${id.charAt(0).toUpperCase()}${id.slice(1)} Reader`,
          preferred_username: id,
        };
      },
    };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["afterword-test-cookie-key"] },
};

const provider = new Provider(issuer, configuration);
const server = provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
