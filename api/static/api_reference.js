// Swagger UI from this server's own copy; the OpenAPI document is read from /openapi.json.
window.addEventListener("DOMContentLoaded", () => {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
