package io.kubesentry.camel;

/** A predicate, expression or processor over the body, bound under the name the routes give it ({@code ref:}). */
interface BodyRef {

    String name();
}
