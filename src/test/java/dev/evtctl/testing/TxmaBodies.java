package dev.evtctl.testing;

/** TxMA event bodies as a producer sends them, for the tests that send or seed their own. */
public final class TxmaBodies {

  private TxmaBodies() {}

  /** An event of {@code session}, with the user's ids (one an IP address: personal data). */
  public static String event(String session, String name, long timestamp) {
    return "{\"event_name\":\""
        + name
        + "\",\"component_id\":\"https://review-b.account.gov.uk\",\"timestamp\":"
        + timestamp
        + ",\"user\":{\"user_id\":\"urn:fdc:gov.uk:2022:abc\",\"session_id\":\""
        + session
        + "\",\"govuk_signin_journey_id\":\"journey-1\",\"transaction_id\":\"tx-1\","
        + "\"ip_address\":\"203.0.113.7\"}}";
  }
}
