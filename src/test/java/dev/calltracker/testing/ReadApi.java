package dev.calltracker.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** Requests to the read API as its callers make them: a CRM user with the identity provider's token, an operator. */
public final class ReadApi {

    private ReadApi() {
    }

    public static RequestSpecification asCrmUser() {
        return as(IdentityProviderFake.crmUser());
    }

    public static RequestSpecification asOperator() {
        return as(TwilioApiTestResource.ADMIN_TOKEN);
    }

    public static RequestSpecification as(String bearerToken) {
        return given().header("Authorization", "Bearer " + bearerToken);
    }
}
