package io.ddp.matching;

import java.util.HashMap;
import java.util.Map;

/** Common English short forms of given names and the full names they stand for (lower case). */
final class Nicknames {
  static final Map<String, String> FULL;

  static {
    Map<String, String> m = new HashMap<>();
    put(m, "robert", "bob", "bobby", "rob", "robbie", "bert");
    put(m, "william", "bill", "billy", "will", "willy", "liam");
    put(m, "richard", "rick", "ricky", "dick", "rich");
    put(m, "james", "jim", "jimmy", "jamie");
    put(m, "john", "jack", "johnny", "jon");
    put(m, "joseph", "joe", "joey");
    put(m, "thomas", "tom", "tommy");
    put(m, "charles", "charlie", "chuck", "chas");
    put(m, "christopher", "chris", "kit");
    put(m, "daniel", "dan", "danny");
    put(m, "michael", "mike", "mikey", "mick");
    put(m, "matthew", "matt");
    put(m, "anthony", "tony");
    put(m, "andrew", "andy", "drew");
    put(m, "edward", "ed", "eddie", "ted", "ned");
    put(m, "henry", "hank", "harry");
    put(m, "steven", "steve");
    put(m, "stephen", "steph");
    put(m, "nicholas", "nick", "nicky");
    put(m, "benjamin", "ben", "benny");
    put(m, "samuel", "sam", "sammy");
    put(m, "alexander", "alex", "sandy");
    put(m, "jonathan", "jonny");
    put(m, "timothy", "tim", "timmy");
    put(m, "patrick", "pat", "paddy");
    put(m, "peter", "pete");
    put(m, "gregory", "greg");
    put(m, "lawrence", "larry");
    put(m, "raymond", "ray");
    put(m, "ronald", "ron", "ronnie");
    put(m, "donald", "don", "donnie");
    put(m, "kenneth", "ken", "kenny");
    put(m, "gerald", "gerry", "jerry");
    put(m, "frederick", "fred", "freddie");
    put(m, "elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby");
    put(m, "margaret", "maggie", "meg", "peggy", "marge");
    put(m, "catherine", "cathy", "kate", "katie", "cat");
    put(m, "katherine", "kathy");
    put(m, "jennifer", "jen", "jenny");
    put(m, "susan", "sue", "susie");
    put(m, "patricia", "patty", "trish");
    put(m, "deborah", "deb", "debbie");
    put(m, "rebecca", "becky", "becca");
    put(m, "victoria", "vicky", "tori");
    put(m, "christine", "chrissy", "tina");
    put(m, "jessica", "jess", "jessie");
    put(m, "abigail", "abby");
    put(m, "samantha", "sammie");
    put(m, "alexandra", "lexi");
    put(m, "dorothy", "dot", "dolly");
    put(m, "barbara", "barb", "babs");
    put(m, "kimberly", "kim");
    put(m, "pamela", "pam");
    put(m, "theresa", "tess", "terri");
    put(m, "isabella", "bella", "izzy");
    put(m, "amanda", "mandy");
    put(m, "melissa", "mel", "missy");
    put(m, "josephine", "josie");
    put(m, "frances", "fran", "frankie");
    put(m, "francis", "frank");
    FULL = Map.copyOf(m);
  }

  private Nicknames() {}

  private static void put(Map<String, String> m, String full, String... shorts) {
    for (String s : shorts) {
      m.putIfAbsent(s, full);
    }
  }
}
