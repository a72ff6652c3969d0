import AOClient
import ATSJSON

/// The gateway of a connected session: every request goes through the client, which owns
/// authentication, HSSO tokens, headers, retries and `APIError`.
struct ClientGateway: APIGateway {
    let client: AOClient

    var baseURL: String { client.address.apiRoot }

    func send(_ request: APIRequestSpec) async throws(APIError) -> APIReply {
        let response = try await client.send(
            request.method, request.path, query: request.query, body: request.body, accept: request.accept)
        return APIReply(status: response.status, headers: response.headers, body: response.body)
    }
}
