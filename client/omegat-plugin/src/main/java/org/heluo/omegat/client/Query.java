package org.heluo.omegat.client;

/** One segment to look up in the TM, with the segments around it (null when there is none) for 101% matches. */
public final class Query {
  public final String text;
  public final String previous;
  public final String next;

  public Query(String text, String previous, String next) {
    this.text = text;
    this.previous = previous;
    this.next = next;
  }
}
